import { execFile } from "node:child_process";
import { createReadStream, existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import { PassThrough } from "node:stream";
import { promisify } from "node:util";
import tar from "tar-stream";
import { z } from "zod";
import {
  type EngineTarget,
  engineMessage,
  engineRequest,
  engineStream,
  jsonLines,
} from "./engine-api.ts";

const run = promisify(execFile);

export const baseImageOptionsSchema = z.object({
  repo: z
    .string()
    .regex(/^[a-z0-9]+(?:[._/-][a-z0-9]+)*$/)
    .default("slipway/busybox"),
  tag: z
    .string()
    .regex(/^[\w][\w.-]{0,127}$/)
    .default("1"),
  /** A statically linked busybox (Debian's busybox-static installs it as /bin/busybox). */
  busyboxPath: z.string().default("/bin/busybox"),
});
export type BaseImageOptions = z.input<typeof baseImageOptionsSchema>;

export interface BaseImage {
  ref: string;
  id: string;
  /** false when the image was already there. */
  imported: boolean;
}

const BASE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

async function imageId(engine: EngineTarget, ref: string): Promise<string | undefined> {
  const res = await engineRequest(
    engine.socketPath,
    "GET",
    `/images/${encodeURIComponent(ref)}/json`,
    10_000,
  );
  if (res.statusCode === 404) return undefined;
  if (res.statusCode !== 200) {
    throw new Error(`could not inspect image ${ref}: ${engineMessage(res)}`);
  }
  const parsed = z.object({ Id: z.string() }).parse(JSON.parse(res.body));
  return parsed.Id;
}

/**
 * A minimal root filesystem, streamed: busybox with a symlink per applet (at the path busybox
 * lists for it), /tmp, and an /etc/passwd and /etc/group with root, so `USER root` and shells work.
 */
async function busyboxRootfs(busyboxPath: string): Promise<PassThrough> {
  const { stdout } = await run(busyboxPath, ["--list-full"]);
  const applets = stdout
    .split("\n")
    .map((line) => line.trim())
    .filter(
      (line) => /^(bin|sbin|usr\/bin|usr\/sbin)\/[^/]+$/.test(line) && line !== "bin/busybox",
    );
  const size = (await stat(busyboxPath)).size;
  const pack = tar.pack();
  const out = new PassThrough();
  pack.on("error", (error) => out.destroy(error));
  pack.pipe(out);
  const mtime = new Date(0);
  const dir = (name: string, mode = 0o755) =>
    pack.entry({ name, type: "directory", mode, mtime, uid: 0, gid: 0 });
  const file = (name: string, content: string) =>
    pack.entry({ name, mode: 0o644, mtime, uid: 0, gid: 0 }, content);
  void (async () => {
    try {
      for (const name of ["bin", "sbin", "usr", "usr/bin", "usr/sbin", "etc", "root", "dev"]) {
        dir(name, name === "root" ? 0o700 : 0o755);
      }
      for (const name of ["proc", "sys", "var", "var/tmp"]) dir(name);
      dir("tmp", 0o1777);
      file(
        "etc/passwd",
        "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n",
      );
      file("etc/group", "root:x:0:\nnogroup:x:65534:\n");
      await new Promise<void>((resolve, reject) => {
        const entry = pack.entry(
          { name: "bin/busybox", mode: 0o755, size, mtime, uid: 0, gid: 0 },
          (error) => (error ? reject(error) : resolve()),
        );
        createReadStream(busyboxPath).pipe(entry);
      });
      for (const applet of applets) {
        const depth = applet.split("/").length - 1;
        const linkname = `${"../".repeat(depth)}bin/busybox`;
        pack.entry({ name: applet, type: "symlink", linkname, mode: 0o777, mtime, uid: 0, gid: 0 });
      }
      pack.finalize();
    } catch (error) {
      out.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  })();
  return out;
}

const inFlight = new Map<string, Promise<BaseImage>>();

/**
 * Makes sure the engine has a small base image to build `FROM` (no registry is needed): imports a
 * busybox root filesystem with PATH set. Idempotent: an existing image is left as it is.
 */
export function ensureBaseImage(
  engine: EngineTarget,
  options: BaseImageOptions = {},
): Promise<BaseImage> {
  const parsed = baseImageOptionsSchema.parse(options);
  const ref = `${parsed.repo}:${parsed.tag}`;
  const key = `${engine.socketPath}\n${ref}`;
  const running = inFlight.get(key);
  if (running) return running;
  const promise = importIfMissing(engine, parsed, ref).finally(() => inFlight.delete(key));
  inFlight.set(key, promise);
  return promise;
}

async function importIfMissing(
  engine: EngineTarget,
  options: z.output<typeof baseImageOptionsSchema>,
  ref: string,
): Promise<BaseImage> {
  const existing = await imageId(engine, ref);
  if (existing) return { ref, id: existing, imported: false };
  if (!existsSync(options.busyboxPath)) {
    throw new Error(
      `${options.busyboxPath} not found: install Debian's busybox-static package to make base images`,
    );
  }
  const query = new URLSearchParams({
    fromSrc: "-",
    repo: options.repo,
    tag: options.tag,
  });
  query.append("changes", `ENV PATH=${BASE_PATH}`);
  query.append("changes", 'CMD ["/bin/sh"]');
  const { response } = engineStream(engine.socketPath, {
    method: "POST",
    path: `/images/create?${query}`,
    headers: { "Content-Type": "application/x-tar" },
    body: await busyboxRootfs(options.busyboxPath),
  });
  const res = await response;
  if (res.statusCode !== 200) {
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    throw new Error(
      `could not import ${ref}: ${engineMessage({ statusCode: res.statusCode ?? 0, body })}`,
    );
  }
  for await (const line of jsonLines(res)) {
    const parsed = z
      .object({ errorDetail: z.object({ message: z.string() }).optional() })
      .safeParse(line);
    if (parsed.success && parsed.data.errorDetail) {
      throw new Error(`could not import ${ref}: ${parsed.data.errorDetail.message}`);
    }
  }
  const id = await imageId(engine, ref);
  if (!id) throw new Error(`imported ${ref} but the engine does not list it`);
  return { ref, id, imported: true };
}
