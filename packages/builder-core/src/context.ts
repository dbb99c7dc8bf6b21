import { createHash } from "node:crypto";
import type { Stats } from "node:fs";
import { createReadStream } from "node:fs";
import { lstat, readdir, readFile, readlink } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { Readable } from "node:stream";
import dockerignore from "@balena/dockerignore";

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
  stream: Readable;
  /** The Dockerfile's name inside the tar (the `dockerfile` build parameter). */
  dockerfileName: string;
  /** Final once the stream has ended. */
  stats: ContextStats;
}

/** Keeps the N largest entries seen, cheaply. */
export class TopN {
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
  const out = new TarOut((size) => {
    if (maxBytes !== undefined && stats.bytesSent + size > maxBytes) {
      throw new ContextTooLargeError(maxBytes);
    }
    stats.bytesSent += size;
  });
  const finishStats = () => {
    stats.largestFiles = largestFiles.items;
    const dirs = new TopN(topN);
    for (const [path, bytes] of dirBytes) dirs.add({ path, bytes });
    stats.largestDirectories = dirs.items;
  };
  out.stream.on("close", finishStats);

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

  /** A large file, streamed in chunks as the consumer takes them. */
  const streamFile = async (absolute: string, size: number, name: string) => {
    let sent = 0;
    for await (const chunk of createReadStream(absolute, { highWaterMark: 256 * 1024 })) {
      const buffer = chunk as Buffer;
      sent += buffer.length;
      if (sent > size) throw new Error(`${name} changed while it was being sent`);
      await out.write(buffer);
    }
    if (sent !== size) throw new Error(`${name} changed while it was being sent`);
    await out.write(padding(size));
  };

  const walk = async (relDir: string): Promise<void> => {
    const absoluteDir = relDir ? join(contextDir, relDir) : contextDir;
    const names = (await readdir(absoluteDir)).sort();
    // one lstat per entry, all at once: sequential round trips to the thread pool were the cost
    const infos = await Promise.all(names.map((name) => lstat(join(absoluteDir, name))));
    const entries = names.map((name, i) => {
      const rel = relDir ? `${relDir}/${name}` : name;
      const info = infos[i] as Stats;
      const ignored = !alwaysSent.has(rel) && matcher.ignores(rel);
      return { name, rel, info, ignored, absolute: join(absoluteDir, name) };
    });
    // small files are read a few ahead of the one being written
    const reads: (Promise<Buffer> | undefined)[] = [];
    const readAhead = (from: number) => {
      for (let j = from; j < Math.min(entries.length, from + READ_AHEAD); j++) {
        const entry = entries[j];
        if (reads[j] || !entry || entry.ignored || !entry.info.isFile()) continue;
        if (entry.info.size > SMALL_FILE_BYTES) continue;
        const read = readFile(entry.absolute);
        read.catch(() => undefined);
        reads[j] = read;
      }
    };
    for (const [i, entry] of entries.entries()) {
      if (out.stopped) return;
      const { rel, info, ignored } = entry;
      if (info.isDirectory()) {
        if (ignored && !hasExceptions) {
          stats.ignoredCount += 1;
          continue;
        }
        if (!ignored) {
          await out.write(
            tarHeader({ name: rel, type: "5", size: 0, mode: info.mode, mtime: info.mtime }),
          );
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
        const header = tarHeader({
          name: rel,
          type: "0",
          size: info.size,
          mode: info.mode,
          mtime: info.mtime,
        });
        if (info.size > SMALL_FILE_BYTES) {
          await out.write(header);
          await streamFile(entry.absolute, info.size, rel);
          continue;
        }
        readAhead(i);
        const content = await (reads[i] ?? readFile(entry.absolute));
        reads[i] = undefined;
        if (content.length !== info.size) throw new Error(`${rel} changed while it was being sent`);
        await out.write(Buffer.concat([header, content, padding(info.size)]));
      } else if (info.isSymbolicLink()) {
        const linkname = await readlink(entry.absolute);
        await out.write(
          tarHeader({ name: rel, type: "2", size: 0, mode: 0o777, mtime: info.mtime, linkname }),
        );
      }
      // sockets, fifos and devices are not part of a build context
    }
  };

  void (async () => {
    try {
      await walk("");
      if (!dockerfileInside && !out.stopped) {
        const content = await readFile(dockerfilePath);
        const info = await lstat(dockerfilePath);
        countFile(dockerfileName, content.length);
        await out.write(
          Buffer.concat([
            tarHeader({
              name: dockerfileName,
              type: "0",
              size: content.length,
              mode: 0o644,
              mtime: info.mtime,
            }),
            content,
            padding(content.length),
          ]),
        );
      }
      // the end of a tar: two zero blocks
      await out.write(Buffer.alloc(BLOCK * 2));
      finishStats();
      await out.end();
    } catch (error) {
      if (out.stopped) return;
      if (error instanceof ContextTooLargeError) {
        out.fail(error);
        return;
      }
      const reason = error instanceof Error ? error.message : String(error);
      out.fail(new Error(`could not read the build context: ${reason}`));
    }
  })();

  return { stream: out.stream, dockerfileName, stats };
}

const BLOCK = 512;
/** Small files read ahead of the one being written (they are read whole). */
const READ_AHEAD = 16;
/** Tar bytes gathered before they are handed on as one chunk. */
const COALESCE_BYTES = 64 * 1024;

function padding(size: number): Buffer {
  const rest = size % BLOCK;
  return rest === 0 ? EMPTY : Buffer.alloc(BLOCK - rest);
}
const EMPTY = Buffer.alloc(0);

/**
 * The readable side of a tar being written: `write` resolves when the consumer wants more (so a
 * slow engine slows the reading of files), and nothing is read once the consumer has gone.
 */
class TarOut {
  readonly stream: Readable;
  #resume: (() => void) | undefined;
  #stopped = false;
  #pending: Buffer[] = [];
  #pendingBytes = 0;

  constructor(readonly count: (size: number) => void) {
    this.stream = new Readable({
      highWaterMark: 1024 * 1024,
      read: () => {
        const resume = this.#resume;
        this.#resume = undefined;
        resume?.();
      },
    });
    this.stream.on("close", () => {
      this.#stopped = true;
      const resume = this.#resume;
      this.#resume = undefined;
      resume?.();
    });
  }

  get stopped(): boolean {
    return this.#stopped || this.stream.destroyed;
  }

  async write(chunk: Buffer): Promise<void> {
    if (this.stopped || chunk.length === 0) return;
    this.count(chunk.length);
    // small entries are gathered into larger chunks: every chunk costs a round through each
    // stream it crosses (web streams, HTTP chunks, the server's scanner, the engine upload)
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    if (this.#pendingBytes >= COALESCE_BYTES) await this.#flush();
  }

  async #flush(): Promise<void> {
    if (this.#pending.length === 0 || this.stopped) return;
    const chunk =
      this.#pending.length === 1 ? (this.#pending[0] as Buffer) : Buffer.concat(this.#pending);
    this.#pending = [];
    this.#pendingBytes = 0;
    if (this.stream.push(chunk)) return;
    await new Promise<void>((resolve) => {
      this.#resume = resolve;
    });
  }

  async end(): Promise<void> {
    await this.#flush();
    if (!this.stopped) this.stream.push(null);
  }

  fail(error: Error): void {
    this.stream.destroy(error);
  }
}

interface TarHeaderFields {
  name: string;
  /** ustar type flag: 0 file, 2 symlink, 5 directory. */
  type: "0" | "2" | "5";
  size: number;
  mode: number;
  mtime: Date;
  linkname?: string;
}

/** `"%d key=value\n"`, where %d counts the whole record, itself included. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyLength = Buffer.byteLength(body);
  let length = bodyLength + String(bodyLength).length;
  if (String(length).length !== String(length - bodyLength).length) {
    length = bodyLength + String(length).length;
  }
  return `${length}${body}`;
}

function writeOctal(block: Buffer, offset: number, width: number, value: number): void {
  block.write(`${value.toString(8).padStart(width - 1, "0")}\0`, offset, width, "ascii");
}

/** A name that fits ustar's name (100 bytes) and prefix (155 bytes) fields, or undefined. */
function splitName(name: string): { prefix: string; base: string } | undefined {
  if (Buffer.byteLength(name) <= 100) return { prefix: "", base: name };
  let slash = name.indexOf("/");
  while (slash > 0) {
    const prefix = name.slice(0, slash);
    const base = name.slice(slash + 1);
    if (Buffer.byteLength(prefix) > 155) return undefined;
    if (base !== "" && Buffer.byteLength(base) <= 100) return { prefix, base };
    slash = name.indexOf("/", slash + 1);
  }
  return undefined;
}

const MAX_OCTAL_SIZE = 0o77777777777;

function ustarBlock(fields: TarHeaderFields & { typeFlag: string }): Buffer {
  const block = Buffer.alloc(BLOCK);
  const split = splitName(fields.name);
  const base = split ? split.base : fields.name.slice(0, 100);
  block.write(base, 0, 100, "utf8");
  writeOctal(block, 100, 8, fields.mode & 0o7777);
  writeOctal(block, 108, 8, 0);
  writeOctal(block, 116, 8, 0);
  writeOctal(block, 124, 12, fields.size > MAX_OCTAL_SIZE ? 0 : fields.size);
  writeOctal(block, 136, 12, Math.max(0, Math.floor(fields.mtime.getTime() / 1000)));
  block.write(fields.typeFlag, 156, 1, "ascii");
  if (fields.linkname && Buffer.byteLength(fields.linkname) <= 100) {
    block.write(fields.linkname, 157, 100, "utf8");
  }
  block.write("ustar\0", 257, 6, "ascii");
  block.write("00", 263, 2, "ascii");
  if (split?.prefix) block.write(split.prefix, 345, 155, "utf8");
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8, "ascii");
  return block;
}

/** One entry's header: ustar, preceded by a pax header when a name or size does not fit. */
export function tarHeader(fields: TarHeaderFields): Buffer {
  const records: string[] = [];
  if (!splitName(fields.name)) records.push(paxRecord("path", fields.name));
  if (fields.linkname && Buffer.byteLength(fields.linkname) > 100) {
    records.push(paxRecord("linkpath", fields.linkname));
  }
  if (fields.size > MAX_OCTAL_SIZE) records.push(paxRecord("size", String(fields.size)));
  const header = ustarBlock({ ...fields, typeFlag: fields.type });
  if (records.length === 0) return header;
  const pax = Buffer.from(records.join(""), "utf8");
  const paxHeader = ustarBlock({
    name: "PaxHeader",
    type: "0",
    size: pax.length,
    mode: 0o644,
    mtime: fields.mtime,
    typeFlag: "x",
  });
  return Buffer.concat([paxHeader, pax, padding(pax.length), header]);
}
