import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import { PassThrough } from "node:stream";
import { promisify } from "node:util";
import tar from "tar-stream";
import { z } from "zod";
import {
  type EngineTarget,
  engineLabel,
  engineMessage,
  engineRequest,
  engineStream,
  jsonLines,
} from "./engine-api.ts";

import { isNativePlatform, normalizePlatform } from "./platform.ts";

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
  /**
   * A statically linked busybox for the platform. Native: Debian's busybox-static installs it as
   * /bin/busybox. Foreign: /usr/local/lib/slipway/busybox-<arch> (scripts/fetch-busybox.sh).
   */
  busyboxPath: z.string().optional(),
  /** The image's platform, e.g. linux/arm64; the host's when unset. */
  platform: z.string().min(1).optional(),
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
  const res = await engineRequest(engine, "GET", `/images/${encodeURIComponent(ref)}/json`, 10_000);
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
  // a foreign busybox lists its applets through QEMU when binfmt has it; else the host's list
  const { stdout } = await run(busyboxPath, ["--list-full"]).catch(() =>
    run("/bin/busybox", ["--list-full"]),
  );
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
  if (parsed.platform && !isNativePlatform(parsed.platform)) {
    const key = `${engineLabel(engine)}\n${ref}`;
    const running = inFlight.get(key);
    if (running) return running;
    const promise = loadForeignIfMissing(engine, parsed, ref).finally(() => inFlight.delete(key));
    inFlight.set(key, promise);
    return promise;
  }
  const key = `${engineLabel(engine)}\n${ref}`;
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
  const busyboxPath = options.busyboxPath ?? "/bin/busybox";
  if (!existsSync(busyboxPath)) {
    throw new Error(
      `${busyboxPath} not found: install Debian's busybox-static package to make base images`,
    );
  }
  const query = new URLSearchParams({
    fromSrc: "-",
    repo: options.repo,
    tag: options.tag,
  });
  query.append("changes", `ENV PATH=${BASE_PATH}`);
  query.append("changes", 'CMD ["/bin/sh"]');
  const { response } = engineStream(engine, {
    method: "POST",
    path: `/images/create?${query}`,
    headers: { "Content-Type": "application/x-tar" },
    body: await busyboxRootfs(busyboxPath),
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

async function streamToBuffer(stream: AsyncIterable<Buffer | string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/**
 * A foreign platform's base image. `/images/create?fromSrc` records the host's architecture
 * whatever it is told, so the image goes in as a docker-archive (`/images/load`): manifest.json,
 * an image config that says the platform, and the root filesystem as its one layer.
 */
async function loadForeignIfMissing(
  engine: EngineTarget,
  options: z.output<typeof baseImageOptionsSchema>,
  ref: string,
): Promise<BaseImage> {
  const platform = normalizePlatform(options.platform ?? "");
  const [os = "linux", architecture = "", variant] = platform.split("/");
  const existing = await imageId(engine, ref);
  if (existing) {
    const res = await engineRequest(engine, "GET", `/images/${encodeURIComponent(ref)}/json`);
    const info = z.object({ Architecture: z.string() }).safeParse(JSON.parse(res.body));
    if (info.success && info.data.Architecture === architecture) {
      return { ref, id: existing, imported: false };
    }
  }
  const busyboxPath = options.busyboxPath ?? foreignBusyboxPath(architecture);
  if (!existsSync(busyboxPath)) {
    throw new Error(
      `${busyboxPath} not found: a ${platform} base image needs that architecture's static ` +
        `busybox (packages/builder-core/scripts/fetch-busybox.sh ${architecture} puts it there)`,
    );
  }
  const layer = await streamToBuffer(await busyboxRootfs(busyboxPath));
  const diffId = `sha256:${createHash("sha256").update(layer).digest("hex")}`;
  const config = Buffer.from(
    JSON.stringify({
      architecture,
      os,
      ...(variant && { variant }),
      created: new Date(0).toISOString(),
      config: { Env: [`PATH=${BASE_PATH}`], Cmd: ["/bin/sh"] },
      rootfs: { type: "layers", diff_ids: [diffId] },
      history: [{ created: new Date(0).toISOString(), created_by: "slipway busybox root" }],
    }),
  );
  const configName = `${createHash("sha256").update(config).digest("hex")}.json`;
  const manifest = JSON.stringify([
    { Config: configName, RepoTags: [ref], Layers: ["layer/layer.tar"] },
  ]);
  const archive = tar.pack();
  const mtime = new Date(0);
  archive.entry({ name: "manifest.json", mtime }, manifest);
  archive.entry({ name: configName, mtime }, config);
  archive.entry({ name: "layer", type: "directory", mtime });
  archive.entry({ name: "layer/layer.tar", mtime }, layer);
  archive.finalize();
  const { response } = engineStream(engine, {
    method: "POST",
    path: "/images/load?quiet=1",
    headers: { "Content-Type": "application/x-tar" },
    body: archive as unknown as import("node:stream").Readable,
  });
  const res = await response;
  const body = (await streamToBuffer(res)).toString("utf8");
  if (res.statusCode !== 200 || /"errorDetail"/.test(body)) {
    throw new Error(
      `could not load ${ref} (${platform}): ${engineMessage({ statusCode: res.statusCode ?? 0, body })}`,
    );
  }
  const id = await imageId(engine, ref);
  if (!id) throw new Error(`loaded ${ref} but the engine does not list it`);
  return { ref, id, imported: true };
}

/** Where scripts/fetch-busybox.sh puts a foreign architecture's static busybox. */
export function foreignBusyboxPath(architecture: string): string {
  return `/usr/local/lib/slipway/busybox-${architecture}`;
}
