import { existsSync } from "node:fs";
import { lstat, mkdtemp, readFile, readlink, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import tar from "tar-stream";
import { afterEach, describe, expect, it } from "vitest";
import { ContextTooLargeError, extractContext, InvalidContextError } from "./context.server";

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

const dirs: string[] = [];
async function target() {
  const dir = await mkdtemp(join(tmpdir(), "slipway-extract-"));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe("extractContext", () => {
  it("writes files, folders and symlinks, plain or gzipped", async () => {
    const bytes = await tarOf([
      { name: "Dockerfile", body: "FROM x\n" },
      { name: "src/", type: "directory" },
      { name: "./src/app.sh", body: "echo hi" },
      { name: "link", type: "symlink", linkname: "src/app.sh" },
    ]);
    for (const [body, gzip] of [
      [bytes, false],
      [gzipSync(bytes), true],
    ] as const) {
      const dir = await target();
      const stats = await extractContext(Readable.from([body]), { dir, maxBytes: 0, gzip });
      expect(stats).toMatchObject({ fileCount: 2, fileBytes: 14 });
      expect(await readFile(join(dir, "src/app.sh"), "utf8")).toBe("echo hi");
      expect((await lstat(join(dir, "src/app.sh"))).mode & 0o777).toBe(0o755);
      expect(await readlink(join(dir, "link"))).toBe("src/app.sh");
    }
  });

  it("refuses entries that leave the folder, directly or through a symlink", async () => {
    for (const entries of [
      [{ name: "../evil", body: "x" }],
      [{ name: "/etc/evil", body: "x" }],
      [
        { name: "out", type: "symlink" as const, linkname: "/tmp" },
        { name: "out/evil", body: "x" },
      ],
    ]) {
      const dir = await target();
      await expect(
        extractContext(Readable.from([await tarOf(entries)]), { dir, maxBytes: 0 }),
      ).rejects.toBeInstanceOf(InvalidContextError);
    }
    expect(existsSync("/tmp/evil")).toBe(false);
  });

  it("stops at the size limit, and explains a corrupt upload", async () => {
    const big = await tarOf([{ name: "big", body: "x".repeat(100_000) }]);
    await expect(
      extractContext(Readable.from([big]), { dir: await target(), maxBytes: 10_000 }),
    ).rejects.toBeInstanceOf(ContextTooLargeError);
    await expect(
      extractContext(Readable.from([Buffer.from("not a tar at all".repeat(64))]), {
        dir: await target(),
        maxBytes: 0,
      }),
    ).rejects.toThrow(/could not read the context tar/);
  });
});
