import type { Readable } from "node:stream";
import { createGunzip, createInflate } from "node:zlib";

export class BodyError extends Error {
  constructor(
    readonly statusCode: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
    this.name = "BodyError";
  }
}

export const formatBytes = (n: number) =>
  n >= 1024 * 1024 ? `${+(n / 1024 / 1024).toFixed(1)} MB` : `${+(n / 1024).toFixed(1)} KB`;

/**
 * Reads a request body, decompressing `Content-Encoding: gzip` (or deflate) on the fly, and
 * stops with 413 as soon as more than `maxBytes` (decompressed) arrive.
 */
export async function readBody(
  raw: Readable,
  contentEncoding: string | undefined,
  maxBytes: number,
): Promise<Buffer> {
  const encoding = (contentEncoding ?? "identity").trim().toLowerCase();
  let source: Readable = raw;
  if (encoding === "gzip" || encoding === "x-gzip") source = raw.pipe(createGunzip());
  else if (encoding === "deflate") source = raw.pipe(createInflate());
  else if (encoding !== "identity" && encoding !== "") {
    raw.resume();
    throw new BodyError(
      415,
      `Content-Encoding ${encoding} is not supported: send gzip or no encoding`,
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of source) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        raw.resume(); // drain quietly; the answer goes out now
        if (source !== raw) source.destroy();
        throw new BodyError(
          413,
          `request body is larger than the ${formatBytes(maxBytes)} limit${source === raw ? "" : " (after decompression)"}: send smaller batches`,
        );
      }
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    if (err instanceof BodyError) throw err;
    const code = (err as { code?: string }).code ?? "";
    if (code.startsWith("Z_") || /incorrect header|invalid|unexpected end/i.test(String(err))) {
      throw new BodyError(
        400,
        `request body is not valid ${encoding} data: ${(err as Error).message}`,
      );
    }
    throw err;
  }
  return Buffer.concat(chunks);
}

export type RawItem = { ok: true; value: unknown } | { ok: false; message: string };

const NDJSON_TYPES = new Set([
  "application/x-ndjson",
  "application/ndjson",
  "application/jsonl",
  "application/x-jsonlines",
  "application/jsonlines",
]);

/**
 * Splits a body into the raw items of a batch: a JSON array (`application/json`) or one JSON
 * value per line (`application/x-ndjson`). A bad NDJSON line refuses that line only; a bad JSON
 * document refuses the request. More than `maxEvents` items: 413.
 */
export function parseBatch(
  body: Buffer,
  contentType: string | undefined,
  maxEvents: number,
): RawItem[] {
  const type = (contentType ?? "application/json").split(";")[0]?.trim().toLowerCase() ?? "";
  if (body.length === 0)
    throw new BodyError(400, "empty body: send a JSON array of events or NDJSON");
  const text = body.toString("utf8");
  if (type === "application/json") {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new BodyError(400, `body is not valid JSON: ${(err as Error).message}`);
    }
    if (!Array.isArray(value)) {
      throw new BodyError(
        400,
        `expected a JSON array of events, got ${value === null ? "null" : typeof value}`,
      );
    }
    if (value.length > maxEvents) throw tooMany(value.length, maxEvents);
    return value.map((v) => ({ ok: true, value: v }));
  }
  if (NDJSON_TYPES.has(type)) {
    const lines = text.split("\n").filter((l) => l.trim().length > 0);
    if (lines.length > maxEvents) throw tooMany(lines.length, maxEvents);
    return lines.map((line) => {
      try {
        return { ok: true, value: JSON.parse(line) as unknown };
      } catch (err) {
        return { ok: false, message: `line is not valid JSON: ${(err as Error).message}` };
      }
    });
  }
  throw new BodyError(
    415,
    `Content-Type ${type} is not supported: send application/json (an array) or application/x-ndjson`,
  );
}

function tooMany(n: number, max: number) {
  return new BodyError(413, `batch has ${n} events; at most ${max} per request: split it`);
}
