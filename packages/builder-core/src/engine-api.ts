import { type ClientRequest, type IncomingMessage, type RequestOptions, request } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Readable } from "node:stream";
import type { z } from "zod";
import type { EngineCgroup } from "./resources.ts";

export interface EngineResponse {
  statusCode: number;
  body: string;
}

/** A local engine's Unix socket path, or any engine target (local or remote over mTLS). */
export type EngineAddress = string | EngineTarget;

function openRequest(
  address: EngineAddress,
  options: RequestOptions,
  onResponse?: (res: IncomingMessage) => void,
): ClientRequest {
  const target = typeof address === "string" ? { socketPath: address } : address;
  if ("socketPath" in target && target.socketPath) {
    return request({ ...options, socketPath: target.socketPath }, onResponse);
  }
  if ("tls" in target && target.tls) {
    const { host, port, ca, cert, key, servername } = target.tls;
    return httpsRequest(
      { ...options, host, port, ca, cert, key, ...(servername && { servername }) },
      onResponse,
    );
  }
  throw new Error("an engine target needs a socketPath or tls settings");
}

/** How an engine is named in errors. */
export function engineLabel(address: EngineAddress): string {
  if (typeof address === "string") return address;
  if (address.id) return address.id;
  return address.socketPath ?? `tcp://${address.tls?.host}:${address.tls?.port}`;
}

/** One HTTP request to a dockerd (Unix socket or TCP with client certificates), with a deadline. */
export function engineRequest(
  address: EngineAddress,
  method: string,
  path: string,
  timeoutMs = 2_000,
): Promise<EngineResponse> {
  return new Promise((resolve, reject) => {
    const req = openRequest(address, { method, path, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({ statusCode: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
      );
      res.on("error", reject);
    });
    req.on("timeout", () =>
      req.destroy(new Error(`engine did not answer ${path} in ${timeoutMs} ms`)),
    );
    req.on("error", reject);
    req.end();
  });
}

export async function pingEngine(address: EngineAddress, timeoutMs = 2_000): Promise<boolean> {
  try {
    const res = await engineRequest(address, "GET", "/_ping", timeoutMs);
    return res.statusCode === 200 && res.body === "OK";
  } catch {
    return false;
  }
}

/** A remote engine's Docker API over TCP, with TLS both ways (dockerd --tlsverify). */
export interface EngineTls {
  host: string;
  port: number;
  /** PEM: the CA that signed the engine's server certificate. */
  ca: string | Buffer;
  /** PEM: this client's certificate and key, signed by a CA the engine trusts. */
  cert: string | Buffer;
  key: string | Buffer;
  /** When the certificate names a host other than `host`. */
  servername?: string;
}

/**
 * What the build, image and cache helpers need of an engine: where its API listens (a local
 * socket, or `tls` for a remote engine) and, for local engines, what lets a build watch it.
 */
export interface EngineTarget {
  socketPath?: string;
  tls?: EngineTls;
  /** Named in errors. */
  id?: string;
  /** When known, a build watches it to report an engine that dies mid-build. */
  pid?: number;
  /** Its cgroup (local engines on hosts with cgroups): builds sample CPU and memory from it. */
  cgroup?: EngineCgroup;
  /** The platform the engine runs natively (local: the host's; remote: asked when unset). */
  nativePlatform?: string;
  /** Its exec root (local engines): without a cgroup, finds its processes for sampling. */
  paths?: { execRoot: string };
}

export interface EngineStreamOptions {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** Streamed as the request body (chunked); the request ends when it ends. */
  body?: Readable;
  /** Aborting destroys the request, which is how a client cancels a build. */
  signal?: AbortSignal;
}

/**
 * Starts a request whose response is read as a stream (build and import progress). Resolves once
 * the response headers arrive; no deadline, since builds take as long as they take.
 */
export function engineStream(
  address: EngineAddress,
  options: EngineStreamOptions,
): { request: ClientRequest; response: Promise<IncomingMessage> } {
  const req = openRequest(address, {
    method: options.method,
    path: options.path,
    headers: options.headers,
    signal: options.signal,
  });
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req.on("response", resolve);
    req.on("error", reject);
  });
  if (options.body) {
    options.body.on("error", (error) => req.destroy(error));
    options.body.pipe(req);
  } else {
    req.end();
  }
  return { request: req, response };
}

/** Splits a response of JSON lines (Docker's progress streams) into parsed values. */
export async function* jsonLines(stream: AsyncIterable<Buffer | string>): AsyncGenerator<unknown> {
  let pending = "";
  for await (const chunk of stream) {
    pending += typeof chunk === "string" ? chunk : chunk.toString("utf8");
    let newline = pending.indexOf("\n");
    while (newline >= 0) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (line) yield JSON.parse(line);
      newline = pending.indexOf("\n");
    }
  }
  if (pending.trim()) yield JSON.parse(pending);
}

/** A JSON request whose answer is validated; throws with the engine's message on an error code. */
export async function engineJson<T>(
  address: EngineAddress,
  method: string,
  path: string,
  schema: z.ZodType<T>,
  timeoutMs = 30_000,
): Promise<T> {
  const res = await engineRequest(address, method, path, timeoutMs);
  if (res.statusCode < 200 || res.statusCode >= 300) {
    throw new Error(
      `engine answered ${res.statusCode} to ${method} ${path}: ${engineMessage(res)}`,
    );
  }
  return schema.parse(JSON.parse(res.body));
}

/** The `message` of a Docker API error body, or the raw body. */
export function engineMessage(res: EngineResponse): string {
  try {
    const parsed: unknown = JSON.parse(res.body);
    if (parsed && typeof parsed === "object" && "message" in parsed) {
      return String(parsed.message);
    }
  } catch {
    // not JSON: fall through
  }
  return res.body.trim();
}
