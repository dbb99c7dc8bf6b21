import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, readlink, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import tar from "tar-stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ContextTooLargeError, packContext } from "./context.ts";

async function listTar(stream: NodeJS.ReadableStream): Promise<Map<string, string>> {
  const extract = tar.extract();
  const entries = new Map<string, string>();
  const done = (async () => {
    for await (const entry of extract) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      const { name, type, linkname } = entry.header;
      entries.set(
        name,
        type === "symlink"
          ? `-> ${linkname}`
          : type === "directory"
            ? "<dir>"
            : `${Buffer.concat(chunks)}`,
      );
    }
  })();
  stream.on("error", (error) => extract.destroy(error));
  stream.pipe(extract);
  await done;
  return entries;
}

describe("packContext", () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "slipway-context-"));
    await mkdir(join(dir, "src/deep"), { recursive: true });
    await mkdir(join(dir, "node_modules/pkg"), { recursive: true });
    await mkdir(join(dir, "logs"), { recursive: true });
    await writeFile(join(dir, "Dockerfile"), "FROM scratch\n");
    await writeFile(
      join(dir, ".dockerignore"),
      "# comment\nnode_modules\n*.log\nlogs/*\n!logs/keep.txt\nDockerfile\n",
    );
    await writeFile(join(dir, "src/main.c"), "int main(){}\n");
    await writeFile(join(dir, "src/deep/big.bin"), Buffer.alloc(50_000, 1));
    await writeFile(join(dir, "node_modules/pkg/index.js"), "x".repeat(1000));
    await writeFile(join(dir, "debug.log"), "noise");
    await writeFile(join(dir, "logs/a.txt"), "no");
    await writeFile(join(dir, "logs/keep.txt"), "yes");
    await symlink("src/main.c", join(dir, "link"));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("streams the context honouring .dockerignore, and counts what it sent", async () => {
    const packed = await packContext({ contextDir: dir, dockerfilePath: join(dir, "Dockerfile") });
    const entries = await listTar(packed.stream);
    expect([...entries.keys()].sort()).toEqual([
      ".dockerignore",
      "Dockerfile",
      "link",
      "logs",
      "logs/keep.txt",
      "src",
      "src/deep",
      "src/deep/big.bin",
      "src/main.c",
    ]);
    expect(entries.get("Dockerfile")).toBe("FROM scratch\n");
    expect(entries.get("link")).toBe("-> src/main.c");
    expect(packed.dockerfileName).toBe("Dockerfile");
    const { stats } = packed;
    expect(stats.fileCount).toBe(5);
    expect(stats.bytesSent).toBeGreaterThan(50_000);
    expect(stats.ignoredCount).toBe(3);
    expect(stats.largestFiles[0]).toEqual({ path: "src/deep/big.bin", bytes: 50_000 });
    expect(stats.largestDirectories.map((d) => d.path)).toEqual(["src", "src/deep", "logs"]);
  });

  it("adds a Dockerfile from outside the context under a generated name", async () => {
    const outside = await mkdtemp(join(tmpdir(), "slipway-dockerfile-"));
    try {
      await writeFile(join(outside, "Build.dockerfile"), "FROM scratch\nCOPY . .\n");
      const packed = await packContext({
        contextDir: join(dir, "src"),
        dockerfilePath: join(outside, "Build.dockerfile"),
      });
      const entries = await listTar(packed.stream);
      expect(packed.dockerfileName).toMatch(/^\.dockerfile\.[0-9a-f]{12}$/);
      expect(entries.get(packed.dockerfileName)).toBe("FROM scratch\nCOPY . .\n");
      expect(entries.has("main.c")).toBe(true);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it("writes long paths (ustar prefix, pax) and large files that tar-stream and GNU tar read", async () => {
    const root = await mkdtemp(join(tmpdir(), "slipway-longnames-"));
    try {
      const prefixed = `${"p".repeat(90)}/${"q".repeat(60)}/file.txt`;
      const pax = `${"x".repeat(130)}.txt`;
      const unicode = "données/été.txt";
      await mkdir(join(root, "p".repeat(90), "q".repeat(60)), { recursive: true });
      await mkdir(join(root, "données"));
      await writeFile(join(root, "Dockerfile"), "FROM scratch\n");
      await writeFile(join(root, prefixed), "prefixed");
      await writeFile(join(root, pax), "pax");
      await writeFile(join(root, unicode), "accents");
      // past the size read whole: streamed in chunks
      await writeFile(join(root, "big.bin"), Buffer.alloc(3 * 1024 * 1024 + 17, 7));
      await symlink(`../${"l".repeat(120)}`, join(root, "longlink"));
      const packed = await packContext({
        contextDir: root,
        dockerfilePath: join(root, "Dockerfile"),
      });
      const chunks: Buffer[] = [];
      for await (const chunk of packed.stream) chunks.push(chunk as Buffer);
      const data = Buffer.concat(chunks);
      expect(data.length % 512).toBe(0);
      expect(packed.stats.bytesSent).toBe(data.length);

      const { Readable } = await import("node:stream");
      const entries = await listTar(Readable.from([data]));
      expect(entries.get(prefixed)).toBe("prefixed");
      expect(entries.get(pax)).toBe("pax");
      expect(entries.get(unicode)).toBe("accents");
      expect(entries.get("longlink")).toBe(`-> ../${"l".repeat(120)}`);
      expect(entries.get("big.bin")?.length).toBe(3 * 1024 * 1024 + 17);

      const listing = execFileSync("tar", ["-tvf", "-"], { input: data }).toString();
      expect(listing).toContain(prefixed);
      expect(listing).toContain(pax);
      expect(listing).toContain(unicode);
      expect(listing).toMatch(/big\.bin/);
      expect(listing).toContain(`longlink -> ../${"l".repeat(120)}`);
      // and GNU tar extracts the same bytes
      const extracted = join(root, "extracted");
      await mkdir(extracted);
      execFileSync("tar", ["-xf", "-", "-C", extracted], { input: data });
      expect(await readFile(join(extracted, prefixed), "utf8")).toBe("prefixed");
      expect(await readFile(join(extracted, pax), "utf8")).toBe("pax");
      expect(await readFile(join(extracted, unicode), "utf8")).toBe("accents");
      expect(
        (await readFile(join(extracted, "big.bin"))).equals(Buffer.alloc(3 * 1024 * 1024 + 17, 7)),
      ).toBe(true);
      expect(await readlink(join(extracted, "longlink"))).toBe(`../${"l".repeat(120)}`);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it("stops in the middle of a large file when the limit is reached, or the consumer goes", async () => {
    const root = await mkdtemp(join(tmpdir(), "slipway-large-"));
    try {
      await writeFile(join(root, "Dockerfile"), "FROM scratch\n");
      await writeFile(join(root, "a-large.bin"), Buffer.alloc(8 * 1024 * 1024, 1));
      await writeFile(join(root, "b-after.txt"), "never read");
      const limited = await packContext({
        contextDir: root,
        dockerfilePath: join(root, "Dockerfile"),
        maxBytes: 1024 * 1024,
      });
      const error = await listTar(limited.stream).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ContextTooLargeError);
      expect(limited.stats.bytesSent).toBeLessThanOrEqual(1024 * 1024);
      expect(limited.stats.fileCount).toBe(2); // Dockerfile, then a-large.bin: never b-after.txt

      // a consumer that leaves after the first chunk: the stream closes, nothing else is read
      const left = await packContext({
        contextDir: root,
        dockerfilePath: join(root, "Dockerfile"),
      });
      for await (const _chunk of left.stream) break;
      expect(left.stream.destroyed).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(left.stats.fileCount).toBeLessThanOrEqual(2);
      expect(left.stats.bytesSent).toBeLessThan(8 * 1024 * 1024);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it("stops with ContextTooLargeError past the limit, without reading the rest", async () => {
    const packed = await packContext({
      contextDir: dir,
      dockerfilePath: join(dir, "Dockerfile"),
      maxBytes: 10_000,
    });
    const error = await listTar(packed.stream).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ContextTooLargeError);
    expect(packed.stats.bytesSent).toBeLessThan(80_000);
  });
});
