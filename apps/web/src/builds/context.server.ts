import { createWriteStream } from "node:fs";
import { copyFile, lstat, mkdir, symlink, utimes } from "node:fs/promises";
import { join } from "node:path";
import { Readable, Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import tar from "tar-stream";

/** The uploaded context went past the server's limit (the upload is cut off there). */
export class ContextTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(
      `the build context is larger than this server's limit of ${limitBytes} bytes ` +
        "(SLIPWAY_MAX_CONTEXT_BYTES); leave large files out with .dockerignore",
    );
    this.name = "ContextTooLargeError";
  }
}

/** The upload is not a usable tar (corrupt, or an entry that would escape the folder). */
export class InvalidContextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidContextError";
  }
}

export interface ExtractedContext {
  /** Tar bytes received (after gunzip when the upload was gzipped). */
  bytes: number;
  fileCount: number;
  fileBytes: number;
}

export interface ExtractContextOptions {
  /** An empty folder to write into. */
  dir: string;
  /** Tar bytes past which the upload is refused; 0 turns the limit off. */
  maxBytes: number;
  gzip?: boolean;
}

/** `a/./b/` → `a/b`; rejects absolute names and `..` (an entry must stay inside the context). */
export function safeEntryName(raw: string): string | undefined {
  if (raw.startsWith("/") || raw.includes("\0")) {
    throw new InvalidContextError(`the context tar has an absolute path: ${JSON.stringify(raw)}`);
  }
  const parts = raw.split("/").filter((part) => part !== "" && part !== ".");
  if (parts.includes("..")) {
    throw new InvalidContextError(
      `the context tar has a path that leaves the context: ${JSON.stringify(raw)}`,
    );
  }
  return parts.length === 0 ? undefined : parts.join("/");
}

/**
 * Streams a context tar (the request body) into `dir`: nothing is held in memory but the entry
 * being written. Symlinks are recreated as links (never followed while extracting: an entry
 * under a symlinked folder is refused), hard links become copies, devices and fifos are skipped.
 */
export async function extractContext(
  body: ReadableStream<Uint8Array> | NodeJS.ReadableStream,
  options: ExtractContextOptions,
): Promise<ExtractedContext> {
  const stats: ExtractedContext = { bytes: 0, fileCount: 0, fileBytes: 0 };
  const { maxBytes } = options;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      stats.bytes += chunk.length;
      if (maxBytes > 0 && stats.bytes > maxBytes) {
        callback(new ContextTooLargeError(maxBytes));
        return;
      }
      callback(null, chunk);
    },
  });
  const source =
    body instanceof ReadableStream
      ? Readable.fromWeb(body as import("node:stream/web").ReadableStream<Uint8Array>)
      : Readable.from(body as AsyncIterable<Uint8Array>);
  const extract = tar.extract();
  const links = new Set<string>();
  const files = new Set<string>();

  const checkParents = (name: string) => {
    const parts = name.split("/");
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join("/");
      if (links.has(prefix)) {
        throw new InvalidContextError(
          `the context tar writes ${JSON.stringify(name)} through the symlink ${JSON.stringify(prefix)}`,
        );
      }
    }
  };

  const consume = async () => {
    for await (const entry of extract) {
      const header = entry.header;
      const name = safeEntryName(header.name);
      if (!name) {
        entry.resume();
        continue;
      }
      checkParents(name);
      const path = join(options.dir, name);
      const mode = (header.mode ?? 0o644) & 0o777;
      switch (header.type) {
        case "directory":
          await mkdir(path, { recursive: true, mode: mode | 0o700 });
          entry.resume();
          break;
        case "file":
        case "contiguous-file": {
          await mkdir(join(path, ".."), { recursive: true });
          await pipeline(entry, createWriteStream(path, { mode }));
          if (header.mtime) await utimes(path, header.mtime, header.mtime).catch(() => undefined);
          stats.fileCount += 1;
          stats.fileBytes += header.size ?? 0;
          files.add(name);
          break;
        }
        case "symlink":
          await mkdir(join(path, ".."), { recursive: true });
          if (await lstat(path).catch(() => undefined)) {
            throw new InvalidContextError(`the context tar has ${JSON.stringify(name)} twice`);
          }
          await symlink(header.linkname ?? "", path);
          links.add(name);
          entry.resume();
          break;
        case "link": {
          const target = safeEntryName(header.linkname ?? "");
          if (!target || !files.has(target)) {
            throw new InvalidContextError(
              `the context tar hard-links ${JSON.stringify(name)} to a file it does not hold`,
            );
          }
          await mkdir(join(path, ".."), { recursive: true });
          await copyFile(join(options.dir, target), path);
          files.add(name);
          entry.resume();
          break;
        }
        default:
          // devices, fifos: not part of a build context
          entry.resume();
      }
    }
  };

  const streams: NodeJS.ReadWriteStream[] = options.gzip ? [createGunzip()] : [];
  const piping = pipeline(source, ...(streams as [NodeJS.ReadWriteStream]), counter, extract);
  const consuming = consume();
  try {
    await Promise.all([piping, consuming]);
  } catch (error) {
    source.destroy();
    extract.destroy();
    await Promise.allSettled([piping, consuming]);
    if (error instanceof ContextTooLargeError || error instanceof InvalidContextError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidContextError(`could not read the context tar: ${reason}`);
  }
  return stats;
}
