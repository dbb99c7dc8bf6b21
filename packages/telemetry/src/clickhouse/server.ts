import { Readable } from "node:stream";
import { type ClickHouseClient, ClickHouseLogLevel, createClient } from "@clickhouse/client";
import {
  assertIdentifier,
  type EncodedRows,
  normalizeParams,
  type PingResult,
  pingStore,
  type QueryOptions,
  type QueryParams,
  type Row,
  SHARED_SETTINGS,
  type TelemetryStore,
} from "./store.ts";

/** The URL without its password, for logs and health output. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(invalid URL)";
  }
}

function signalFor(opts?: QueryOptions): { abort_signal?: AbortSignal } {
  return opts?.timeoutMs ? { abort_signal: AbortSignal.timeout(opts.timeoutMs) } : {};
}

/**
 * A ClickHouse server over HTTP (`CLICKHOUSE_URL`, e.g. `http://user:pass@host:8123/slipway`:
 * credentials and database may be given in the URL).
 */
export class ServerStore implements TelemetryStore {
  readonly kind = "server";
  readonly location: string;
  readonly #client: ClickHouseClient;

  constructor(url: string, opts: { requestTimeoutMs?: number } = {}) {
    this.location = redactUrl(url);
    this.#client = createClient({
      url,
      request_timeout: opts.requestTimeoutMs ?? 30_000,
      clickhouse_settings: { ...SHARED_SETTINGS },
      // Failures reach the caller (and /healthz) as errors; the client's own log would repeat
      // each one as a multi-line dump.
      log: { level: ClickHouseLogLevel.OFF },
    });
  }

  async query<T = Record<string, unknown>>(
    sql: string,
    params?: QueryParams,
    opts?: QueryOptions,
  ): Promise<T[]> {
    const rs = await this.#client.query({
      query: sql,
      format: "JSONEachRow",
      query_params: normalizeParams(params),
      ...signalFor(opts),
    });
    return rs.json<T>();
  }

  async exec(sql: string, params?: QueryParams, opts?: QueryOptions): Promise<void> {
    await this.#client.command({
      query: sql,
      query_params: normalizeParams(params),
      ...signalFor(opts),
    });
  }

  async insert(table: string, rows: readonly Row[]): Promise<void> {
    assertIdentifier(table, "table name");
    if (rows.length === 0) return;
    await this.#client.insert({ table, values: [...rows], format: "JSONEachRow" });
  }

  async insertEncoded(table: string, rows: EncodedRows): Promise<void> {
    assertIdentifier(table, "table name");
    if (rows.rows === 0) return;
    for (const c of rows.columns) assertIdentifier(c, "column name");
    await this.#client.insert({
      table,
      columns: [...rows.columns] as [string, ...string[]],
      values: Readable.from([rows.data]),
      format: rows.format ?? "JSONCompactEachRow",
    });
  }

  ping(opts?: QueryOptions): Promise<PingResult> {
    return pingStore(this, opts);
  }

  async close(): Promise<void> {
    await this.#client.close();
  }
}
