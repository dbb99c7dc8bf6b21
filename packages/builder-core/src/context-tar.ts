import { createReadStream, createWriteStream } from "node:fs";
import { Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import dockerignore from "@balena/dockerignore";
import tar from "tar-stream";
import { type ContextStats, ContextTooLargeError, TopN } from "./context.ts";

/** A context tar that cannot be used: corrupt, or an entry that would leave the context. */
export class InvalidContextTarError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidContextTarError";
  }
}

export interface ContextTarScanOptions {
  /** Abort with ContextTooLargeError past this many bytes. */
  maxBytes?: number;
  /** Paths inside the tar whose content to keep (Dockerfile, .dockerignore), each up to 1 MiB. */
  capture?: string[];
  /** How many largest files and folders to keep in the stats. */
  topN?: number;
}

interface FileEntry {
  name: string;
  bytes: number;
}

const BLOCK = 512;
const CAPTURE_MAX = 1024 * 1024;
/** pax and GNU long-name records are tiny; anything this large is not a real tar. */
const META_MAX = 1024 * 1024;

/** `a/./b/` → `a/b`; throws on absolute names and `..` (an entry must stay inside the context). */
export function safeTarPath(raw: string): string | undefined {
  if (raw.startsWith("/") || raw.includes("\0")) {
    throw new InvalidContextTarError(
      `the context tar has an absolute path: ${JSON.stringify(raw)}`,
    );
  }
  const parts = raw.split("/").filter((part) => part !== "" && part !== ".");
  if (parts.includes("..")) {
    throw new InvalidContextTarError(
      `the context tar has a path that leaves the context: ${JSON.stringify(raw)}`,
    );
  }
  return parts.length === 0 ? undefined : parts.join("/");
}

function cString(block: Buffer, start: number, length: number): string {
  const end = block.indexOf(0, start);
  return block.toString("utf8", start, end < 0 || end > start + length ? start + length : end);
}

function numeric(block: Buffer, start: number, length: number): number {
  const first = block[start] ?? 0;
  if (first & 0x80) {
    // GNU base-256 for sizes past 8 GiB: big-endian, the top bit is the marker
    let value = first & 0x7f;
    for (let i = start + 1; i < start + length; i++) value = value * 256 + (block[i] ?? 0);
    return value;
  }
  const text = cString(block, start, length).trim();
  return text === "" ? 0 : Number.parseInt(text, 8);
}

function checksumOk(block: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
  return sum === numeric(block, 148, 8);
}

/** `"%d key=value\n"` records of a pax extended header. */
function paxRecords(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    if (space < 0) break;
    const length = Number.parseInt(data.toString("ascii", offset, space), 10);
    if (!Number.isFinite(length) || length <= 0) break;
    const record = data.toString("utf8", space + 1, offset + length - 1);
    const eq = record.indexOf("=");
    if (eq > 0) records.set(record.slice(0, eq), record.slice(eq + 1));
    offset += length;
  }
  return records;
}

type Meta = "pax" | "global-pax" | "long-name" | "long-link";

/**
 * Passes a context tar through unchanged while reading its headers: counts bytes (and stops at
 * `maxBytes`), refuses entries that would leave the context (absolute paths, `..`, writes through
 * a symlink, hard links to files it does not hold) and corrupt headers, keeps the content of a few
 * small files (the Dockerfile, .dockerignore), and records each file's path and size for the
 * stats. Only headers are parsed: file data is skipped over, never copied.
 *
 * Hand-written rather than on tar-stream (used for packing and filtering), for two measured
 * reasons: (1) tar-stream's extract decodes every header field and makes a stream per entry;
 * a 115 MB context (5,000 files + 100 MiB) scanned in 67-85 ms here against 123-140 ms for a
 * pass-through on tar-stream (2026-12, 1 MiB chunks); (2) tar-stream reads on past the end
 * marker, so two joined tars read as one, where the engine's reader stops at the first: the
 * scanner would then capture a Dockerfile the engine never builds.
 */
export class ContextTarScanner extends Transform {
  bytes = 0;
  readonly files: FileEntry[] = [];
  /** Names at the top of the context (for "no Dockerfile; the context holds ..." messages). */
  readonly topLevel = new Set<string>();
  readonly captured = new Map<string, Buffer>();
  /** The two zero blocks that end a tar were seen. */
  ended = false;

  readonly #maxBytes: number | undefined;
  readonly #captureNames: Set<string>;
  readonly #topN: number;
  readonly #links = new Set<string>();
  readonly #fileNames = new Set<string>();
  #header: Buffer = Buffer.alloc(0);
  /** Bytes of the current entry's data (and padding) still to pass. */
  #remaining = 0;
  #padding = 0;
  #collect: { kind: Meta | "capture"; name: string; chunks: Buffer[]; size: number } | undefined;
  #pax = new Map<string, string>();
  #globalPax = new Map<string, string>();
  #longName: string | undefined;
  #longLink: string | undefined;
  #zeroBlocks = 0;

  constructor(options: ContextTarScanOptions = {}) {
    super();
    this.#maxBytes = options.maxBytes;
    this.#captureNames = new Set(options.capture ?? []);
    this.#topN = options.topN ?? 10;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    if (this.#maxBytes !== undefined && this.bytes + chunk.length > this.#maxBytes) {
      callback(new ContextTooLargeError(this.#maxBytes));
      return;
    }
    this.bytes += chunk.length;
    try {
      this.#scan(chunk);
    } catch (error) {
      callback(error as Error);
      return;
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback) {
    if (this.#header.length > 0 || this.#remaining > 0) {
      callback(new InvalidContextTarError("the context tar ends in the middle of an entry"));
      return;
    }
    callback();
  }

  #scan(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.ended) return;
      if (this.#remaining > 0) {
        const take = Math.min(this.#remaining, chunk.length - offset);
        const dataLeft = this.#remaining - this.#padding;
        if (this.#collect && dataLeft > 0) {
          const part = chunk.subarray(offset, offset + Math.min(take, dataLeft));
          this.#collect.chunks.push(part);
        }
        this.#remaining -= take;
        offset += take;
        if (this.#remaining === 0) this.#entryDone();
        continue;
      }
      const need = BLOCK - this.#header.length;
      const part = chunk.subarray(offset, offset + need);
      offset += part.length;
      this.#header = this.#header.length === 0 ? part : Buffer.concat([this.#header, part]);
      if (this.#header.length < BLOCK) return;
      const block = this.#header;
      this.#header = Buffer.alloc(0);
      this.#onHeader(block);
    }
  }

  #entryDone(): void {
    const collected = this.#collect;
    this.#collect = undefined;
    if (!collected) return;
    const data = Buffer.concat(collected.chunks);
    switch (collected.kind) {
      case "pax":
        this.#pax = paxRecords(data);
        break;
      case "global-pax":
        for (const [key, value] of paxRecords(data)) this.#globalPax.set(key, value);
        break;
      case "long-name":
        this.#longName = cString(data, 0, data.length);
        break;
      case "long-link":
        this.#longLink = cString(data, 0, data.length);
        break;
      case "capture":
        this.captured.set(collected.name, data);
        break;
    }
  }

  #onHeader(block: Buffer): void {
    if (block.every((byte) => byte === 0)) {
      this.#zeroBlocks += 1;
      if (this.#zeroBlocks === 2) this.ended = true;
      return;
    }
    this.#zeroBlocks = 0;
    if (!checksumOk(block)) {
      throw new InvalidContextTarError(
        `the upload is not a tar (bad header checksum at byte ${this.bytes}); send the context as a tar`,
      );
    }
    const type = String.fromCharCode(block[156] ?? 0);
    const ustar = block.toString("latin1", 257, 263) === "ustar\0";
    const prefix = ustar ? cString(block, 345, 155) : "";
    const baseName = cString(block, 0, 100);
    let size = numeric(block, 124, 12);
    const pax = new Map([...this.#globalPax, ...this.#pax]);
    if (pax.has("size")) size = Number(pax.get("size"));
    const padding = (BLOCK - (size % BLOCK)) % BLOCK;

    const meta: Meta | undefined =
      type === "x"
        ? "pax"
        : type === "g"
          ? "global-pax"
          : type === "L"
            ? "long-name"
            : type === "K"
              ? "long-link"
              : undefined;
    if (meta) {
      if (size > META_MAX) {
        throw new InvalidContextTarError(`the context tar has a ${size}-byte header record`);
      }
      this.#collect = { kind: meta, name: "", chunks: [], size };
      this.#setData(size, padding);
      return;
    }

    const rawName =
      this.#longName ?? pax.get("path") ?? (prefix ? `${prefix}/${baseName}` : baseName);
    const linkName = this.#longLink ?? pax.get("linkpath") ?? cString(block, 157, 100);
    this.#pax = new Map();
    this.#longName = undefined;
    this.#longLink = undefined;

    const name = safeTarPath(rawName);
    if (name) {
      this.#checkParents(name);
      this.topLevel.add(name.split("/")[0] ?? name);
      if (type === "0" || type === "\0" || type === "7") {
        this.files.push({ name, bytes: size });
        this.#fileNames.add(name);
        if (this.#captureNames.has(name) && size <= CAPTURE_MAX) {
          this.#collect = { kind: "capture", name, chunks: [], size };
        }
      } else if (type === "2") {
        this.#links.add(name);
      } else if (type === "1") {
        const target = safeTarPath(linkName);
        if (!target || !this.#fileNames.has(target)) {
          throw new InvalidContextTarError(
            `the context tar hard-links ${JSON.stringify(name)} to a file it does not hold`,
          );
        }
        const original = this.files.find((file) => file.name === target);
        this.files.push({ name, bytes: original?.bytes ?? 0 });
        this.#fileNames.add(name);
      }
    }
    // directories, links, devices and fifos carry no data; a file's data follows its header
    const hasData = type === "0" || type === "\0" || type === "7";
    this.#setData(hasData ? size : 0, hasData ? padding : 0);
  }

  #setData(size: number, padding: number): void {
    this.#remaining = size + padding;
    this.#padding = padding;
    if (this.#remaining === 0) this.#entryDone();
  }

  /** An entry under a path the tar made a symlink would be written wherever the link points. */
  #checkParents(name: string): void {
    if (this.#links.size === 0) return;
    let slash = name.indexOf("/");
    while (slash > 0) {
      const prefix = name.slice(0, slash);
      if (this.#links.has(prefix)) {
        throw new InvalidContextTarError(
          `the context tar writes ${JSON.stringify(name)} through the symlink ${JSON.stringify(prefix)}`,
        );
      }
      slash = name.indexOf("/", slash + 1);
    }
    if (this.#links.has(name)) {
      throw new InvalidContextTarError(`the context tar has ${JSON.stringify(name)} twice`);
    }
  }

  /**
   * The files the engine will use, after .dockerignore: the rules are applied here too, so a
   * client that sent ignored files (the CLI does not) is not counted for them. `alwaysSent` are
   * kept whatever the rules say (the Dockerfile and .dockerignore, as Docker does).
   */
  stats(ignoreRules: string[] = [], alwaysSent: string[] = []): ContextStats {
    const matcher = dockerignore().add(ignoreRules);
    const keep = new Set(alwaysSent);
    const largestFiles = new TopN(this.#topN);
    const dirBytes = new Map<string, number>();
    const stats: ContextStats = {
      bytesSent: this.bytes,
      fileCount: 0,
      fileBytes: 0,
      ignoredCount: 0,
      largestFiles: [],
      largestDirectories: [],
    };
    for (const file of this.files) {
      if (ignoreRules.length > 0 && !keep.has(file.name) && matcher.ignores(file.name)) {
        stats.ignoredCount += 1;
        continue;
      }
      stats.fileCount += 1;
      stats.fileBytes += file.bytes;
      largestFiles.add({ path: file.name, bytes: file.bytes });
      let slash = file.name.lastIndexOf("/");
      while (slash > 0) {
        const dir = file.name.slice(0, slash);
        dirBytes.set(dir, (dirBytes.get(dir) ?? 0) + file.bytes);
        slash = dir.lastIndexOf("/");
      }
    }
    const dirs = new TopN(this.#topN);
    for (const [path, bytes] of dirBytes) dirs.add({ path, bytes });
    stats.largestFiles = largestFiles.items;
    stats.largestDirectories = dirs.items;
    return stats;
  }
}

/** The lines of a .dockerignore that are rules (comments and blanks dropped). */
export function ignoreRulesOf(text: string | undefined): string[] {
  if (!text) return [];
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

/** The ignore file Docker reads for a Dockerfile: `<Dockerfile>.dockerignore`, else the root's. */
export function dockerignoreFor(
  captured: Map<string, Buffer>,
  dockerfileName: string,
): string | undefined {
  const own = captured.get(`${dockerfileName}.dockerignore`) ?? captured.get(".dockerignore");
  return own?.toString("utf8");
}

/**
 * Copies a context tar without the entries `.dockerignore` rules leave out (`alwaysSent` stay):
 * the engine does not apply .dockerignore to an uploaded tar context (measured on dockerd 20.10:
 * an ignored file reached `COPY . .`), so a tar from a client that did not apply it itself must
 * be filtered before the build. Streams entry by entry.
 */
export async function filterContextTar(
  input: string,
  output: string,
  ignoreRules: string[],
  alwaysSent: string[] = [],
): Promise<{ removed: number }> {
  const matcher = dockerignore().add(ignoreRules);
  const hasExceptions = ignoreRules.some((rule) => rule.startsWith("!"));
  const keep = new Set(alwaysSent);
  const extract = tar.extract();
  const pack = tar.pack();
  let removed = 0;
  const writing = pipeline(pack, createWriteStream(output, { mode: 0o600 }));
  const reading = pipeline(createReadStream(input), extract);
  for await (const entry of extract) {
    const name = safeTarPath(entry.header.name);
    const ignored =
      name !== undefined &&
      !keep.has(name) &&
      matcher.ignores(name) &&
      // a left-out folder may still hold exceptions (`!dir/keep`): its entry stays
      !(entry.header.type === "directory" && hasExceptions);
    if (ignored) {
      removed += 1;
      entry.resume();
      continue;
    }
    await pipeline(entry, pack.entry({ ...entry.header }));
  }
  pack.finalize();
  await Promise.all([reading, writing]);
  return { removed };
}
