import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { lstat, readdir, readFile, readlink } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { Transform, type TransformCallback } from "node:stream";
import dockerignore from "@balena/dockerignore";
import tar from "tar-stream";

export interface ContextEntrySize {
  path: string;
  bytes: number;
}

export interface ContextStats {
  /** Bytes of the tar stream sent to the engine (headers and padding included). */
  bytesSent: number;
  /** Regular files sent. */
  fileCount: number;
  /** Their content bytes. */
  fileBytes: number;
  /** Paths left out by .dockerignore (a left-out folder counts once). */
  ignoredCount: number;
  largestFiles: ContextEntrySize[];
  /** Folders by the bytes of the files under them, at any depth. */
  largestDirectories: ContextEntrySize[];
}

export class ContextTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(
      `the build context is larger than the limit of ${limitBytes} bytes; ` +
        "leave large files out with .dockerignore",
    );
    this.name = "ContextTooLargeError";
  }
}

export interface PackContextOptions {
  contextDir: string;
  /** The Dockerfile's path; one outside the context is added to the tar under `dockerfileName`. */
  dockerfilePath: string;
  /** Abort the stream with ContextTooLargeError past this many tar bytes. */
  maxBytes?: number;
  /** How many largest files and folders to keep in the stats. */
  topN?: number;
}

export interface PackedContext {
  stream: Transform;
  /** The Dockerfile's name inside the tar (the `dockerfile` build parameter). */
  dockerfileName: string;
  /** Final once the stream has ended. */
  stats: ContextStats;
}

/** Keeps the N largest entries seen, cheaply. */
class TopN {
  readonly #items: ContextEntrySize[] = [];
  constructor(readonly size: number) {}
  add(item: ContextEntrySize): void {
    const last = this.#items.at(-1);
    if (this.#items.length >= this.size && last && last.bytes >= item.bytes) return;
    this.#items.push(item);
    this.#items.sort((a, b) => b.bytes - a.bytes);
    if (this.#items.length > this.size) this.#items.pop();
  }
  get items(): ContextEntrySize[] {
    return [...this.#items];
  }
}

/** Files up to this size are read whole (one at a time); larger ones are streamed. */
const SMALL_FILE_BYTES = 1024 * 1024;

const toPosix = (path: string) => path.split(sep).join("/");

/** Docker's ignore file: `<Dockerfile>.dockerignore` beside the Dockerfile wins over the root one. */
async function readIgnoreRules(contextDir: string, dockerfilePath: string): Promise<string[]> {
  for (const candidate of [`${dockerfilePath}.dockerignore`, join(contextDir, ".dockerignore")]) {
    try {
      const text = await readFile(candidate, "utf8");
      return text
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== "" && !line.startsWith("#"));
    } catch {
      // try the next one
    }
  }
  return [];
}

/**
 * Streams a build context as a tar, honouring .dockerignore as Docker does (the Dockerfile and
 * .dockerignore are always sent: the engine needs the first, and both are kept out of COPY by the
 * engine anyway). Files are read as the stream is consumed, never loaded whole.
 */
export async function packContext(options: PackContextOptions): Promise<PackedContext> {
  const contextDir = resolve(options.contextDir);
  const dockerfilePath = resolve(contextDir, options.dockerfilePath);
  const inside = relative(contextDir, dockerfilePath);
  const dockerfileInside = inside !== "" && !inside.startsWith("..") && !isAbsolute(inside);
  const dockerfileName = dockerfileInside
    ? toPosix(inside)
    : `.dockerfile.${createHash("sha256").update(dockerfilePath).digest("hex").slice(0, 12)}`;

  const rules = await readIgnoreRules(contextDir, dockerfilePath);
  const matcher = dockerignore().add(rules);
  const hasExceptions = rules.some((rule) => rule.startsWith("!"));
  const alwaysSent = new Set([dockerfileName, ".dockerignore"]);
  const topN = options.topN ?? 10;
  const largestFiles = new TopN(topN);
  const dirBytes = new Map<string, number>();

  const stats: ContextStats = {
    bytesSent: 0,
    fileCount: 0,
    fileBytes: 0,
    ignoredCount: 0,
    largestFiles: [],
    largestDirectories: [],
  };
  const maxBytes = options.maxBytes;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      if (maxBytes !== undefined && stats.bytesSent + chunk.length > maxBytes) {
        callback(new ContextTooLargeError(maxBytes));
        return;
      }
      stats.bytesSent += chunk.length;
      callback(null, chunk);
    },
  });

  const pack = tar.pack();
  pack.on("error", (error) => counter.destroy(error));
  pack.pipe(counter);
  const finishStats = () => {
    stats.largestFiles = largestFiles.items;
    const dirs = new TopN(topN);
    for (const [path, bytes] of dirBytes) dirs.add({ path, bytes });
    stats.largestDirectories = dirs.items;
  };
  // The consumer may stop early (limit reached, build canceled, engine gone): stop reading files.
  let stopped = false;
  let stopReading: (() => void) | undefined;
  counter.on("close", () => {
    stopped = true;
    finishStats();
    stopReading?.();
    pack.destroy();
  });

  const addFile = async (
    name: string,
    absolute: string,
    size: number,
    mode: number,
    mtime: Date,
  ) => {
    if (size <= SMALL_FILE_BYTES) {
      // small files in one read: streaming each costs more than it saves
      const content = await readFile(absolute);
      if (stopped) return;
      if (content.length !== size) throw new Error(`${name} changed while it was being sent`);
      await new Promise<void>((resolveEntry, rejectEntry) => {
        const entry = pack.entry({ name, size, mode, mtime, uid: 0, gid: 0 }, content, (error) =>
          error ? rejectEntry(error) : resolveEntry(),
        );
        entry.on("error", () => undefined);
        stopReading = () => resolveEntry();
      });
      return;
    }
    await new Promise<void>((resolveEntry, rejectEntry) => {
      const source = createReadStream(absolute);
      stopReading = () => {
        source.destroy();
        resolveEntry();
      };
      const entry = pack.entry({ name, size, mode, mtime, uid: 0, gid: 0 }, (error) =>
        error ? rejectEntry(error) : resolveEntry(),
      );
      // a destroyed pack destroys its current entry: that is reported through the callback
      entry.on("error", () => undefined);
      source.on("error", (error) => {
        entry.destroy(error);
        rejectEntry(error);
      });
      source.pipe(entry);
    });
  };
  const addEntry = (header: Parameters<tar.Pack["entry"]>[0]) => {
    pack.entry(header).on("error", () => undefined);
  };
  const countFile = (name: string, size: number) => {
    stats.fileCount += 1;
    stats.fileBytes += size;
    largestFiles.add({ path: name, bytes: size });
    let slash = name.lastIndexOf("/");
    while (slash > 0) {
      const dir = name.slice(0, slash);
      dirBytes.set(dir, (dirBytes.get(dir) ?? 0) + size);
      slash = dir.lastIndexOf("/");
    }
  };

  const walk = async (relDir: string): Promise<void> => {
    const absoluteDir = relDir ? join(contextDir, relDir) : contextDir;
    const names = (await readdir(absoluteDir)).sort();
    for (const name of names) {
      if (stopped) return;
      const rel = relDir ? `${relDir}/${name}` : name;
      const absolute = join(absoluteDir, name);
      const info = await lstat(absolute);
      const ignored = !alwaysSent.has(rel) && matcher.ignores(rel);
      if (info.isDirectory()) {
        if (ignored && !hasExceptions) {
          stats.ignoredCount += 1;
          continue;
        }
        if (!ignored) {
          addEntry({
            name: rel,
            type: "directory",
            mode: info.mode & 0o7777,
            mtime: info.mtime,
            uid: 0,
            gid: 0,
          });
        }
        await walk(rel);
        continue;
      }
      if (ignored) {
        stats.ignoredCount += 1;
        continue;
      }
      if (info.isFile()) {
        countFile(rel, info.size);
        await addFile(rel, absolute, info.size, info.mode & 0o7777, info.mtime);
      } else if (info.isSymbolicLink()) {
        addEntry({
          name: rel,
          type: "symlink",
          linkname: await readlink(absolute),
          mode: 0o777,
          mtime: info.mtime,
          uid: 0,
          gid: 0,
        });
      }
      // sockets, fifos and devices are not part of a build context
    }
  };

  void (async () => {
    try {
      await walk("");
      if (!dockerfileInside && !stopped) {
        const info = await lstat(dockerfilePath);
        countFile(dockerfileName, info.size);
        await addFile(dockerfileName, dockerfilePath, info.size, 0o644, info.mtime);
      }
      finishStats();
      if (!stopped) pack.finalize();
    } catch (error) {
      if (stopped) return;
      const reason = error instanceof Error ? error.message : String(error);
      counter.destroy(new Error(`could not read the build context: ${reason}`));
    }
  })();

  return { stream: counter, dockerfileName, stats };
}
