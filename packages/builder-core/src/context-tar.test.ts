import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import tar from "tar-stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ContextTooLargeError, packContext } from "./context.ts";
import { ContextTarScanner, InvalidContextTarError, safeTarPath } from "./context-tar.ts";
import { makeContext } from "./testing.ts";

type Entry = Parameters<tar.Pack["entry"]>[0] & { content?: string };

async function tarOf(entries: Entry[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const { content, ...header } of entries) {
    if (content === undefined) pack.entry(header);
    else pack.entry(header, content);
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack as unknown as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Feeds the tar in small odd-sized chunks, so headers and data straddle chunk edges. */
async function scan(data: Buffer, scanner: ContextTarScanner, chunkSize = 97): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (let i = 0; i < data.length; i += chunkSize) parts.push(data.subarray(i, i + chunkSize));
  const out: Buffer[] = [];
  scanner.on("data", (chunk: Buffer) => out.push(chunk));
  await pipeline(Readable.from(parts), scanner);
  return Buffer.concat(out);
}

describe("ContextTarScanner", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "slipway-tarscan-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("passes the tar through unchanged and counts what packContext sent", async () => {
    const contextDir = await makeContext(
      {
        Dockerfile: "FROM scratch\n",
        ".dockerignore": "*.log\n",
        "src/a.txt": "a".repeat(1500),
        "src/deep/b.txt": "b".repeat(700),
        "big.bin": "x".repeat(5000),
        "skip.log": "ignored",
      },
      dir,
    );
    const packed = await packContext({
      contextDir,
      dockerfilePath: join(contextDir, "Dockerfile"),
    });
    const chunks: Buffer[] = [];
    for await (const chunk of packed.stream) chunks.push(chunk as Buffer);
    const data = Buffer.concat(chunks);

    const scanner = new ContextTarScanner({ capture: ["Dockerfile", ".dockerignore"] });
    const out = await scan(data, scanner);
    expect(out.equals(data)).toBe(true);
    expect(scanner.ended).toBe(true);
    expect(scanner.captured.get("Dockerfile")?.toString()).toBe("FROM scratch\n");
    const stats = scanner.stats(["*.log"], ["Dockerfile", ".dockerignore"]);
    expect(stats.fileCount).toBe(packed.stats.fileCount);
    expect(stats.fileBytes).toBe(packed.stats.fileBytes);
    expect(stats.bytesSent).toBe(data.length);
    expect(stats.largestFiles).toEqual(packed.stats.largestFiles);
    expect(stats.largestDirectories).toEqual([
      { path: "src", bytes: 2200 },
      { path: "src/deep", bytes: 700 },
    ]);
    expect([...scanner.topLevel].sort()).toEqual([".dockerignore", "Dockerfile", "big.bin", "src"]);
  });

  it("applies .dockerignore to the stats when a client sent ignored files anyway", async () => {
    const data = await tarOf([
      { name: "Dockerfile", content: "FROM scratch\n" },
      { name: "node_modules/x/index.js", content: "y".repeat(900) },
      { name: "app.js", content: "z".repeat(10) },
    ]);
    const scanner = new ContextTarScanner();
    await scan(data, scanner);
    const stats = scanner.stats(["node_modules"], ["Dockerfile"]);
    expect(stats.fileCount).toBe(2);
    expect(stats.fileBytes).toBe(23);
    expect(stats.ignoredCount).toBe(1);
    // without rules everything counts
    expect(scanner.stats().fileBytes).toBe(923);
  });

  it("reads long names from pax headers", async () => {
    const long = `${"d".repeat(120)}/${"f".repeat(150)}.txt`;
    const data = await tarOf([{ name: long, content: "hello" }]);
    const scanner = new ContextTarScanner();
    await scan(data, scanner, 13);
    expect(scanner.files).toEqual([{ name: long, bytes: 5 }]);
  });

  it.each([
    ["../escape.txt", /leaves the context/],
    ["/etc/passwd", /absolute path/],
    ["a/../../b", /leaves the context/],
  ])("refuses the entry %s", async (name, message) => {
    const data = await tarOf([{ name, content: "x" }]);
    await expect(scan(data, new ContextTarScanner())).rejects.toThrow(message);
    await expect(scan(data, new ContextTarScanner())).rejects.toBeInstanceOf(
      InvalidContextTarError,
    );
  });

  it("refuses writes through a symlink and hard links to files it does not hold", async () => {
    const through = await tarOf([
      { name: "link", type: "symlink", linkname: "/etc" },
      { name: "link/cron.d/evil", content: "x" },
    ]);
    await expect(scan(through, new ContextTarScanner())).rejects.toThrow(
      'writes "link/cron.d/evil" through the symlink "link"',
    );
    const hard = await tarOf([{ name: "h", type: "link", linkname: "../../etc/shadow" }]);
    await expect(scan(hard, new ContextTarScanner())).rejects.toThrow(/leaves the context/);
    const missing = await tarOf([{ name: "h", type: "link", linkname: "nothere" }]);
    await expect(scan(missing, new ContextTarScanner())).rejects.toThrow(
      /hard-links "h" to a file it does not hold/,
    );
  });

  it("stops at the size limit, and names what is not a tar", async () => {
    const data = await tarOf([{ name: "big", content: "x".repeat(10_000) }]);
    await expect(scan(data, new ContextTarScanner({ maxBytes: 4096 }))).rejects.toBeInstanceOf(
      ContextTooLargeError,
    );
    await expect(
      scan(Buffer.from("this is not a tar".repeat(100)), new ContextTarScanner()),
    ).rejects.toThrow(/not a tar/);
    await expect(scan(data.subarray(0, 1024), new ContextTarScanner())).rejects.toThrow(
      /ends in the middle of an entry/,
    );
  });

  it("refuses a corrupt header after good entries, and a tar cut inside a header", async () => {
    const data = await tarOf([
      { name: "a.txt", content: "a".repeat(600) },
      { name: "b.txt", content: "b" },
    ]);
    // b.txt's header follows a.txt's header and two data blocks
    const corrupt = Buffer.from(data);
    corrupt[3 * 512 + 10] = 0x41;
    await expect(scan(corrupt, new ContextTarScanner())).rejects.toThrow(/bad header checksum/);
    await expect(scan(corrupt, new ContextTarScanner())).rejects.toBeInstanceOf(
      InvalidContextTarError,
    );
    await expect(scan(data.subarray(0, 3 * 512 + 100), new ContextTarScanner())).rejects.toThrow(
      /ends in the middle of an entry/,
    );
  });

  it("stops reading at the end marker, passing what follows through", async () => {
    const first = await tarOf([{ name: "Dockerfile", content: "FROM scratch\n" }]);
    const second = await tarOf([
      { name: "Dockerfile", content: "FROM evil\n" },
      { name: "../escape", content: "x" },
    ]);
    const data = Buffer.concat([first, second, Buffer.from("trailing junk")]);
    for (const chunkSize of [97, 1024, data.length]) {
      const scanner = new ContextTarScanner({ capture: ["Dockerfile"] });
      const out = await scan(data, scanner, chunkSize);
      expect(out.equals(data)).toBe(true);
      expect(scanner.ended).toBe(true);
      expect(scanner.bytes).toBe(data.length);
      expect(scanner.captured.get("Dockerfile")?.toString()).toBe("FROM scratch\n");
      expect(scanner.files).toEqual([{ name: "Dockerfile", bytes: 13 }]);
    }
  });

  it("passes large chunks through whole and counts links", async () => {
    const data = await tarOf([
      { name: "dir", type: "directory" },
      { name: "dir/big.bin", content: "z".repeat(300_000) },
      { name: "dir/same.bin", type: "link", linkname: "dir/big.bin" },
      { name: "dir/ln", type: "symlink", linkname: "big.bin" },
      { name: "Dockerfile", content: "FROM scratch\n" },
    ]);
    const scanner = new ContextTarScanner({ capture: ["Dockerfile"] });
    const out = await scan(data, scanner, 64 * 1024);
    expect(out.equals(data)).toBe(true);
    expect(scanner.ended).toBe(true);
    expect(scanner.files).toEqual([
      { name: "dir/big.bin", bytes: 300_000 },
      { name: "dir/same.bin", bytes: 300_000 },
      { name: "Dockerfile", bytes: 13 },
    ]);
    expect(scanner.captured.get("Dockerfile")?.toString()).toBe("FROM scratch\n");
    expect([...scanner.topLevel].sort()).toEqual(["Dockerfile", "dir"]);
  });

  it("captures an empty file", async () => {
    const data = await tarOf([
      { name: ".dockerignore", content: "" },
      { name: "Dockerfile", content: "FROM scratch\n" },
    ]);
    const scanner = new ContextTarScanner({ capture: ["Dockerfile", ".dockerignore"] });
    await scan(data, scanner);
    expect(scanner.captured.get(".dockerignore")?.length).toBe(0);
    expect(scanner.captured.get("Dockerfile")?.toString()).toBe("FROM scratch\n");
  });

  it("normalises names", () => {
    expect(safeTarPath("./a/./b/")).toBe("a/b");
    expect(safeTarPath("./")).toBeUndefined();
  });
});
