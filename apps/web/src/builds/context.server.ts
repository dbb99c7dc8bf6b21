import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import {
  type ContextStats,
  ContextTarScanner,
  ContextTooLargeError as CoreContextTooLargeError,
  dockerignoreFor,
  filterContextTar,
  InvalidContextTarError,
  ignoreRulesOf,
  safeTarPath,
} from "@slipway/builder-core";

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

export interface ReceivedContext {
  /** Tar bytes received (after gunzip when the upload was gzipped). */
  bytes: number;
  /** What the engine will use, after .dockerignore (as the engine applies it too). */
  stats: ContextStats;
  /** The Dockerfile's text, when the tar holds it at the path asked for. */
  dockerfileText?: string;
  /** The .dockerignore that applies to that Dockerfile, when there is one. */
  dockerignoreText?: string;
  /** Names at the top of the context, sorted (for error messages). */
  topLevel: string[];
}

export interface ReceiveContextOptions {
  /** Where to keep the tar (created, mode 0600); the build sends it to the engine as it is. */
  file: string;
  /** Tar bytes past which the upload is refused; 0 turns the limit off. */
  maxBytes: number;
  gzip?: boolean;
  /** The Dockerfile's path inside the context. */
  dockerfile: string;
}

/** `a/./b/` → `a/b`; rejects absolute names and `..` (an entry must stay inside the context). */
export function safeEntryName(raw: string): string | undefined {
  try {
    return safeTarPath(raw);
  } catch (error) {
    throw new InvalidContextError((error as Error).message);
  }
}

/**
 * Streams a context tar (the request body) into one file while reading its headers: the size
 * limit is enforced as bytes arrive, entries that would leave the context are refused, and the
 * Dockerfile and .dockerignore are kept for the checks before the build. Nothing is unpacked:
 * the engine gets this tar unchanged (unpacking to a folder and packing it again cost more than
 * the rest of a warm build; see bench/builds), unless it holds files .dockerignore leaves out
 * (the CLI never sends them; another client may): then it is copied without them.
 */
export async function receiveContext(
  body: ReadableStream<Uint8Array> | NodeJS.ReadableStream,
  options: ReceiveContextOptions,
): Promise<ReceivedContext> {
  const { maxBytes, dockerfile } = options;
  const source =
    body instanceof ReadableStream
      ? Readable.fromWeb(body as import("node:stream/web").ReadableStream<Uint8Array>)
      : Readable.from(body as AsyncIterable<Uint8Array>);
  const scanner = new ContextTarScanner({
    ...(maxBytes > 0 && { maxBytes }),
    capture: [dockerfile, ".dockerignore", `${dockerfile}.dockerignore`],
  });
  const sink = createWriteStream(options.file, { mode: 0o600 });
  const streams: NodeJS.ReadWriteStream[] = options.gzip ? [createGunzip()] : [];
  try {
    await pipeline(source, ...(streams as [NodeJS.ReadWriteStream]), scanner, sink);
  } catch (error) {
    source.destroy();
    if (error instanceof CoreContextTooLargeError) throw new ContextTooLargeError(maxBytes);
    if (error instanceof InvalidContextTarError) throw new InvalidContextError(error.message);
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidContextError(`could not read the context tar: ${reason}`);
  }
  const dockerignoreText = dockerignoreFor(scanner.captured, dockerfile);
  const dockerfileBytes = scanner.captured.get(dockerfile);
  if (!dockerfileBytes && scanner.files.some((file) => file.name === dockerfile)) {
    throw new InvalidContextError(`${dockerfile} is larger than 1 MiB; is it really a Dockerfile?`);
  }
  const rules = ignoreRulesOf(dockerignoreText);
  const alwaysSent = [dockerfile, ".dockerignore"];
  const stats = scanner.stats(rules, alwaysSent);
  if (stats.ignoredCount > 0) {
    // a client that did not apply .dockerignore (the CLI does): the engine would not either
    const filtered = `${options.file}.filtered`;
    try {
      await filterContextTar(options.file, filtered, rules, alwaysSent);
      await rename(filtered, options.file);
    } catch (error) {
      await rm(filtered, { force: true });
      throw new InvalidContextError(
        `could not leave out the .dockerignore'd files: ${(error as Error).message}`,
      );
    }
  }
  return {
    bytes: scanner.bytes,
    stats,
    ...(dockerfileBytes && { dockerfileText: dockerfileBytes.toString("utf8") }),
    ...(dockerignoreText !== undefined && { dockerignoreText }),
    topLevel: [...scanner.topLevel].sort(),
  };
}
