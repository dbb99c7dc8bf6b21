import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import tar from "tar-stream";
import { afterEach, describe, expect, it } from "vitest";
import { ContextTooLargeError, InvalidContextError, receiveContext } from "./context.server";

type Entry = {
  name: string;
  type?: "file" | "symlink" | "directory";
  body?: string;
  linkname?: string;
};

async function tarOf(entries: Entry[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const e of entries) {
    if (e.type === "symlink")
      pack.entry({ name: e.name, type: "symlink", linkname: e.linkname ?? "" });
    else if (e.type === "directory") pack.entry({ name: e.name, type: "directory" });
    else pack.entry({ name: e.name, mode: 0o755 }, e.body ?? "");
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack as unknown as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function listTar(data: Buffer): Promise<string[]> {
  const extract = tar.extract();
  const names: string[] = [];
  const done = (async () => {
    for await (const entry of extract) {
      names.push(entry.header.name.replace(/^\.\//, "").replace(/\/$/, ""));
      entry.resume();
    }
  })();
  extract.end(data);
  await done;
  return names.sort();
}

const dirs: string[] = [];
async function target() {
  const dir = await mkdtemp(join(tmpdir(), "slipway-receive-"));
  dirs.push(dir);
  return join(dir, "context.tar");
}
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe("receiveContext", () => {
  it("keeps the tar as it came (plain or gzipped), with stats, Dockerfile and .dockerignore", async () => {
    const bytes = await tarOf([
      { name: "Dockerfile", body: "FROM x\n" },
      { name: ".dockerignore", body: "*.log\n" },
      { name: "src/", type: "directory" },
      { name: "./src/app.sh", body: "echo hi" },
      { name: "debug.log", body: "not counted" },
      { name: "link", type: "symlink", linkname: "src/app.sh" },
    ]);
    for (const [body, gzip] of [
      [bytes, false],
      [gzipSync(bytes), true],
    ] as const) {
      const file = await target();
      const received = await receiveContext(Readable.from([body]), {
        file,
        maxBytes: 0,
        gzip,
        dockerfile: "Dockerfile",
      });
      // the ignored debug.log is left out of what the engine gets (it would not skip it)
      expect(await listTar(await readFile(file))).toEqual([
        ".dockerignore",
        "Dockerfile",
        "link",
        "src",
        "src/app.sh",
      ]);
      expect(received.bytes).toBe(bytes.length);
      expect(received.dockerfileText).toBe("FROM x\n");
      expect(received.dockerignoreText).toBe("*.log\n");
      // Dockerfile, .dockerignore and src/app.sh: debug.log is ignored
      expect(received.stats).toMatchObject({ fileCount: 3, fileBytes: 7 + 6 + 7, ignoredCount: 1 });
      expect(received.stats.largestDirectories).toEqual([{ path: "src", bytes: 7 }]);
      expect(received.topLevel).toEqual([
        ".dockerignore",
        "Dockerfile",
        "debug.log",
        "link",
        "src",
      ]);
    }
  });

  it("keeps the upload byte for byte when nothing in it is ignored (the CLI's uploads)", async () => {
    const bytes = await tarOf([
      { name: "Dockerfile", body: "FROM x\n" },
      { name: ".dockerignore", body: "*.log\n" },
      { name: "app.sh", body: "echo hi" },
    ]);
    const file = await target();
    const received = await receiveContext(Readable.from([bytes]), {
      file,
      maxBytes: 0,
      dockerfile: "Dockerfile",
    });
    expect((await readFile(file)).equals(bytes)).toBe(true);
    expect(received.stats.ignoredCount).toBe(0);
  });

  it("refuses entries that leave the folder, directly or through a symlink", async () => {
    for (const [entries, message] of [
      [[{ name: "../evil", body: "x" }], /leaves the context/],
      [[{ name: "/etc/evil", body: "x" }], /absolute path/],
      [
        [
          { name: "out", type: "symlink" as const, linkname: "/tmp" },
          { name: "out/evil", body: "x" },
        ],
        /through the symlink "out"/,
      ],
    ] as const) {
      const attempt = receiveContext(Readable.from([await tarOf([...entries])]), {
        file: await target(),
        maxBytes: 0,
        dockerfile: "Dockerfile",
      });
      await expect(attempt).rejects.toBeInstanceOf(InvalidContextError);
      await expect(attempt).rejects.toThrow(message);
    }
    expect(existsSync("/tmp/evil")).toBe(false);
  });

  it("stops at the size limit while streaming, and explains a corrupt upload", async () => {
    const big = await tarOf([{ name: "big", body: "x".repeat(100_000) }]);
    // the body never ends: the limit must stop it while it streams, not after
    async function* endless() {
      yield big.subarray(0, 20_000);
      await new Promise(() => undefined);
    }
    await expect(
      receiveContext(Readable.from(endless()), {
        file: await target(),
        maxBytes: 10_000,
        dockerfile: "Dockerfile",
      }),
    ).rejects.toBeInstanceOf(ContextTooLargeError);
    await expect(
      receiveContext(Readable.from([Buffer.from("not a tar at all".repeat(64))]), {
        file: await target(),
        maxBytes: 0,
        dockerfile: "Dockerfile",
      }),
    ).rejects.toThrow(/not a tar/);
  });
});
