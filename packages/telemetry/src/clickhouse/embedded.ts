import { mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { drainPending, Session } from "chdb";
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

/** The data path is locked by another process (one process may own an embedded data path). */
export class StoreLockedError extends Error {
  constructor(
    readonly dataPath: string,
    readonly ownerPid: number,
    cause: unknown,
  ) {
    super(
      `the embedded ClickHouse data at ${dataPath} is in use by another process (pid ${ownerPid}); ` +
        "only one process can open it: is ingest running? stop it, or set CLICKHOUSE_URL to use a server",
      { cause },
    );
    this.name = "StoreLockedError";
  }
}

/**
 * The live process holding the data path, if any. The engine writes `PID: <n>` into
 * `<path>/status` and keeps that file locked while it runs; its error only says "Failed to
 * create connection" (the lock detail goes to stderr), so the owner is read from the file.
 */
function lockOwner(path: string): number | undefined {
  try {
    const pid = Number(/^PID:\s*(\d+)/m.exec(readFileSync(join(path, "status"), "utf8"))?.[1]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

function parseEachRow<T>(text: string): T[] {
  const rows: T[] = [];
  for (const line of text.split("\n")) {
    if (line.length > 0) rows.push(JSON.parse(line) as T);
  }
  return rows;
}

/**
 * The in-process ClickHouse engine (chdb) with its data in a directory.
 *
 * Measured with chdb 3.4.0 (engine 26.7) on this machine: `Session.query()` is synchronous and
 * froze the event loop for the whole query (a 3.7 s query: one 3.7 s gap between 5 ms timers),
 * while `queryAsync`/`queryBindAsync`/`insert` run on the libuv pool (same query: timers kept
 * firing, largest gap 9 ms). So this driver only uses the async calls. Parameterized queries
 * (`{name:Type}`) are bound by the engine (`queryBindAsync`); chdb runs them one at a time per
 * process. A data path can be open in one process only: a second process fails (the engine
 * prints "Cannot lock file <path>/status" to stderr), reported as {@link StoreLockedError}.
 */
export class EmbeddedStore implements TelemetryStore {
  readonly kind = "embedded";
  readonly location: string;
  #session: Session | null;

  private constructor(dataPath: string, session: Session) {
    this.location = dataPath;
    this.#session = session;
  }

  /** Opens (creating if needed) the engine's data directory. */
  static open(dataPath: string): EmbeddedStore {
    const path = resolve(dataPath);
    mkdirSync(path, { recursive: true });
    try {
      const session = new Session(path, {
        connectionArgs: Object.entries(SHARED_SETTINGS).map(([k, v]) => `--${k}=${v}`),
      });
      return new EmbeddedStore(path, session);
    } catch (err) {
      const owner = lockOwner(path);
      if (owner !== undefined) throw new StoreLockedError(path, owner, err);
      throw err;
    }
  }

  #live(): Session {
    if (!this.#session) throw new Error(`the telemetry store at ${this.location} is closed`);
    return this.#session;
  }

  async #run(sql: string, format: string, params?: QueryParams, opts?: QueryOptions) {
    const session = this.#live();
    const bound = normalizeParams(params);
    const options = { format, ...(opts?.timeoutMs ? { timeout: opts.timeoutMs } : {}) };
    return Object.keys(bound).length > 0
      ? session.queryBindAsync(sql, bound, options)
      : session.queryAsync(sql, options);
  }

  async query<T = Record<string, unknown>>(
    sql: string,
    params?: QueryParams,
    opts?: QueryOptions,
  ): Promise<T[]> {
    const result = await this.#run(sql, "JSONEachRow", params, opts);
    return parseEachRow<T>(result.text());
  }

  async exec(sql: string, params?: QueryParams, opts?: QueryOptions): Promise<void> {
    await this.#run(sql, "CSV", params, opts);
  }

  async insert(table: string, rows: readonly Row[]): Promise<void> {
    assertIdentifier(table, "table name");
    if (rows.length === 0) return;
    const payload = `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`;
    await this.#live().insert({
      table,
      values: Buffer.from(payload, "utf8"),
      format: "JSONEachRow",
    });
  }

  async insertEncoded(table: string, rows: EncodedRows): Promise<void> {
    assertIdentifier(table, "table name");
    if (rows.rows === 0) return;
    for (const c of rows.columns) assertIdentifier(c, "column name");
    await this.#live().insert({
      table,
      columns: [...rows.columns],
      values: Buffer.from(rows.data, "utf8"),
      format: rows.format ?? "JSONCompactEachRow",
    });
  }

  ping(opts?: QueryOptions): Promise<PingResult> {
    return pingStore(this, opts);
  }

  /** Closes the session and waits until the engine let go of the data path. */
  async close(): Promise<void> {
    const session = this.#session;
    this.#session = null;
    if (!session) return;
    session.close();
    await drainPending();
  }
}
