import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { z } from "zod";
import { getEnv } from "../env.server";

/**
 * The dashboard's only door to telemetry: ingest's query API (`GET /v1/query/...`), called with
 * the service token ingest writes to `<state dir>/ingest-service-token` (or INGEST_SERVICE_TOKEN).
 * The web app checks the user's org access BEFORE calling; every call names that org.
 * Responses are validated with the same zod row schemas ingest answers with.
 */

/** Ingest is down or answered an error: pages show "insights unavailable", never a 500. */
export class TelemetryUnavailableError extends Error {
  override name = "TelemetryUnavailableError";
}

export type QueryParams = Record<string, string | number | Date | undefined>;

export interface TelemetryQueryClient {
  get<S extends z.ZodType>(path: string, params: QueryParams, schema: S): Promise<z.output<S>>;
}

export interface QueryClientOptions {
  baseUrl: string;
  token: () => Promise<string>;
  timeoutMs?: number;
}

export function createTelemetryQueryClient(opts: QueryClientOptions): TelemetryQueryClient {
  return {
    async get(path, params, schema) {
      const url = new URL(path, opts.baseUrl);
      for (const [k, v] of Object.entries(params)) {
        if (v === undefined) continue;
        url.searchParams.set(k, v instanceof Date ? v.toISOString() : String(v));
      }
      let res: Response;
      try {
        res = await fetch(url, {
          headers: { authorization: `Bearer ${await opts.token()}` },
          signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
        });
      } catch (err) {
        throw new TelemetryUnavailableError(
          `ingest is not reachable at ${opts.baseUrl}: ${(err as Error).message}`,
          { cause: err },
        );
      }
      const body: unknown = await res.json().catch(() => null);
      if (!res.ok) {
        const message = (body as { error?: string } | null)?.error ?? res.statusText;
        throw new TelemetryUnavailableError(
          `ingest answered ${res.status} for ${path}: ${message}`,
        );
      }
      const parsed = schema.safeParse(body);
      if (!parsed.success)
        throw new TelemetryUnavailableError(
          `ingest's answer for ${path} did not match: ${parsed.error.message}`,
        );
      return parsed.data;
    },
  };
}

let client: TelemetryQueryClient | undefined;

/** The process-wide client, configured from the environment. */
export function getTelemetryQueryClient(): TelemetryQueryClient {
  if (client) return client;
  const env = getEnv();
  let token: string | undefined = env.INGEST_SERVICE_TOKEN;
  client = createTelemetryQueryClient({
    baseUrl: env.INGEST_URL,
    async token() {
      if (token) return token;
      const file = join(env.SLIPWAY_STATE_DIR, "ingest-service-token");
      try {
        token = (await readFile(file, "utf8")).trim();
      } catch (err) {
        throw new TelemetryUnavailableError(
          `no ingest service token at ${file} (ingest writes it on first start; or set INGEST_SERVICE_TOKEN)`,
          { cause: err },
        );
      }
      return token;
    },
  });
  return client;
}

/** For tests: point the dashboard at another ingest. */
export function setTelemetryQueryClient(next: TelemetryQueryClient | undefined): void {
  client = next;
}
