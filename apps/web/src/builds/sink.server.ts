import { appendFile, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

/**
 * A telemetry event as packages/telemetry's `src/events/` schemas describe it (envelope plus
 * `type` and `data`). Kept structural here so the web app does not load the telemetry store.
 */
export interface TelemetryEventInput {
  id: string;
  schemaVersion: 1;
  orgId: string;
  projectId: string | null;
  time: string;
  type: string;
  data: Record<string, unknown>;
}

/** Where build telemetry (steps, lint findings, build start/finish) goes. */
export interface BuildEventSink {
  /**
   * Never throws: a sink that cannot deliver keeps the events somewhere else. `token` is the API
   * token of the request that started the build (ingest authenticates events with it).
   */
  send(events: TelemetryEventInput[], auth?: { token?: string }): Promise<void>;
}

export function spoolFile(stateDir: string): string {
  return join(stateDir, "spool", "events.ndjson");
}

/** Events ingest refused (207/400), with its reasons: `$SLIPWAY_STATE_DIR/spool/refused.ndjson`. */
export function refusedFile(stateDir: string): string {
  return join(stateDir, "spool", "refused.ndjson");
}

/** One line of refused.ndjson. */
export interface RefusedEvent {
  refusedAt: string;
  status: number;
  errors: { path: string; message: string }[];
  event: TelemetryEventInput;
}

/** Appends events as NDJSON to `$SLIPWAY_STATE_DIR/spool/events.ndjson` (one line each). */
export class SpoolSink implements BuildEventSink {
  #chain: Promise<void> = Promise.resolve();
  constructor(readonly file: string) {}

  /** Runs `task` after every append/take before it (appends and takes never interleave). */
  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(task);
    this.#chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  send(events: TelemetryEventInput[]): Promise<void> {
    if (events.length === 0) return this.#chain;
    const text = events.map((event) => `${JSON.stringify(event)}\n`).join("");
    // appends are serialised so lines from concurrent builds never interleave
    return this.#serial(async () => {
      try {
        await mkdir(dirname(this.file), { recursive: true });
        await appendFile(this.file, text, { mode: 0o600 });
      } catch (error) {
        console.error(`[slipway builds] could not spool ${events.length} events`, error);
      }
    });
  }

  /**
   * Removes the spooled events `match` selects and returns them (the others, and lines that are
   * not events, stay). The file is rewritten through a temp file and a rename, so a crash
   * leaves either the old or the new spool, never half of one.
   */
  take(match: (event: TelemetryEventInput) => boolean): Promise<TelemetryEventInput[]> {
    return this.#serial(async () => {
      let text: string;
      try {
        text = await readFile(this.file, "utf8");
      } catch {
        return [];
      }
      const taken: TelemetryEventInput[] = [];
      const kept: string[] = [];
      for (const line of text.split("\n")) {
        if (line.trim() === "") continue;
        let event: TelemetryEventInput | undefined;
        try {
          event = JSON.parse(line) as TelemetryEventInput;
        } catch {
          event = undefined;
        }
        if (event && typeof event === "object" && match(event)) taken.push(event);
        else kept.push(line);
      }
      if (taken.length === 0) return [];
      const tmp = `${this.file}.${process.pid}.tmp`;
      await writeFile(tmp, kept.map((l) => `${l}\n`).join(""), { mode: 0o600 });
      await rename(tmp, this.file);
      if (kept.length === 0) await rm(this.file, { force: true });
      return taken;
    });
  }
}

/** Appends refused events with ingest's reasons (one JSON object per line). */
async function recordRefused(file: string, refused: RefusedEvent[]): Promise<void> {
  if (refused.length === 0) return;
  try {
    await mkdir(dirname(file), { recursive: true });
    await appendFile(file, refused.map((r) => `${JSON.stringify(r)}\n`).join(""), { mode: 0o600 });
  } catch (error) {
    console.error(`[slipway builds] could not record ${refused.length} refused events`, error);
  }
}

export interface IngestSinkOptions {
  /** Per request; default 5 s. */
  timeoutMs?: number;
  /** Where refused events go; default `refused.ndjson` beside the spool's file. */
  refusedFile?: string;
  /** Retries after 429/503 before spooling; default 2. */
  retries?: number;
  /** Longest wait before a retry (ingest's Retry-After is capped to it); default 2 s. */
  maxRetryDelayMs?: number;
  /** Events per request (sending, and replaying the spool); default 1,000. */
  replayBatch?: number;
  /**
   * JSON bytes per request; default 1 MiB. Ingest refuses bodies over its limit (5 MiB by
   * default) with 413, and a build's steps with their logs can be far more than that.
   */
  maxBatchBytes?: number;
}

/**
 * `events` in order, cut into requests of at most `maxEvents` events and `maxBytes` of JSON
 * (an event larger than maxBytes on its own goes alone: ingest's answer for it is kept).
 */
export function batchesOf(
  events: TelemetryEventInput[],
  limits: { maxEvents: number; maxBytes: number },
): TelemetryEventInput[][] {
  const batches: TelemetryEventInput[][] = [];
  let batch: TelemetryEventInput[] = [];
  let bytes = 2; // "[]"
  for (const event of events) {
    const size = Buffer.byteLength(JSON.stringify(event)) + 1; // and its comma
    if (batch.length > 0 && (batch.length >= limits.maxEvents || bytes + size > limits.maxBytes)) {
      batches.push(batch);
      batch = [];
      bytes = 2;
    }
    batch.push(event);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

type PostOutcome =
  | { kind: "delivered"; refused: RefusedEvent[] }
  /** Not delivered: keep them (spool) and try again later. */
  | { kind: "retry-later"; reason: string };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends events to ingest (`POST <INGEST_URL>/v1/events`, a JSON array, with the build's API
 * token as bearer and `X-Slipway-Source: builder`).
 *
 * - 202: delivered. 207: delivered except the refused events, which are logged and written with
 *   ingest's reasons to `refused.ndjson` (re-sending them would be refused again).
 *   400 with per-event results (none valid): the same, for all of them.
 * - 429/503 (ingest busy, Redis down): retried after Retry-After (capped), then spooled.
 * - Unreachable, timeout, other answers: spooled to the fallback.
 * - After a delivery, events spooled earlier for the same org and project are replayed with the
 *   same token (a token that was just accepted for them), so the spool drains once ingest is
 *   back. Events of other orgs/projects wait for a build of theirs.
 */
export class IngestSink implements BuildEventSink {
  readonly timeoutMs: number;
  readonly refusedFile: string | undefined;
  readonly #options: IngestSinkOptions;
  #replaying = false;
  #replay: Promise<number> = Promise.resolve(0);

  constructor(
    readonly ingestUrl: string,
    readonly fallback: BuildEventSink,
    timeoutMsOrOptions: number | IngestSinkOptions = {},
  ) {
    const o: IngestSinkOptions =
      typeof timeoutMsOrOptions === "number"
        ? { timeoutMs: timeoutMsOrOptions }
        : timeoutMsOrOptions;
    this.#options = o;
    this.timeoutMs = o.timeoutMs ?? 5_000;
    this.refusedFile =
      o.refusedFile ??
      (fallback instanceof SpoolSink ? join(dirname(fallback.file), "refused.ndjson") : undefined);
  }

  async send(events: TelemetryEventInput[], auth: { token?: string } = {}): Promise<void> {
    if (events.length === 0) return;
    let sent = 0;
    for (const batch of this.#batches(events)) {
      const outcome = await this.#post(batch, auth);
      if (outcome.kind === "retry-later") {
        await this.fallback.send(events.slice(sent)); // this batch and the rest, in order
        return;
      }
      await this.#refused(outcome.refused);
      sent += batch.length;
    }
    // Not awaited: a build does not wait for an old spool to drain (see `idle()`).
    const first = events[0];
    if (first && auth.token && !this.#replaying) {
      this.#replay = this.replay(first.orgId, first.projectId, auth);
    }
  }

  /** Resolves when the spool replay in progress (if any) is over. */
  async idle(): Promise<void> {
    await this.#replay;
  }

  /**
   * Replays spooled events of `orgId`/`projectId` with `auth` (see the class comment). What
   * cannot be delivered goes back to the spool. Returns how many were delivered.
   */
  async replay(orgId: string, projectId: string | null, auth: { token?: string }): Promise<number> {
    const spool = this.fallback;
    if (!(spool instanceof SpoolSink) || this.#replaying) return 0;
    this.#replaying = true;
    let delivered = 0;
    try {
      const events = await spool.take((e) => e.orgId === orgId && e.projectId === projectId);
      let sent = 0;
      for (const batch of this.#batches(events)) {
        const outcome = await this.#post(batch, auth);
        if (outcome.kind === "retry-later") {
          await spool.send(events.slice(sent)); // the rest goes back, in order
          break;
        }
        await this.#refused(outcome.refused);
        sent += batch.length;
        delivered += batch.length - outcome.refused.length;
      }
    } catch (error) {
      console.error("[slipway builds] replaying the telemetry spool failed", error);
    } finally {
      this.#replaying = false;
    }
    return delivered;
  }

  async #refused(refused: RefusedEvent[]) {
    if (refused.length === 0) return;
    const first = refused[0]?.errors[0];
    console.warn(
      `[slipway builds] ingest refused ${refused.length} telemetry events` +
        (first ? ` (e.g. ${first.path}: ${first.message})` : "") +
        (this.refusedFile ? `; kept in ${this.refusedFile}` : ""),
    );
    if (this.refusedFile) await recordRefused(this.refusedFile, refused);
  }

  #batches(events: TelemetryEventInput[]): TelemetryEventInput[][] {
    return batchesOf(events, {
      maxEvents: this.#options.replayBatch ?? 1_000,
      maxBytes: this.#options.maxBatchBytes ?? 1024 * 1024,
    });
  }

  async #post(events: TelemetryEventInput[], auth: { token?: string }): Promise<PostOutcome> {
    const retries = this.#options.retries ?? 2;
    const maxDelay = this.#options.maxRetryDelayMs ?? 2_000;
    const body = JSON.stringify(events);
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      let text: string;
      try {
        response = await fetch(new URL("/v1/events", this.ingestUrl), {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-slipway-source": "builder",
            ...(auth.token && { authorization: `Bearer ${auth.token}` }),
          },
          body,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        text = await response.text();
      } catch (error) {
        return {
          kind: "retry-later",
          reason: error instanceof Error ? error.message : String(error),
        };
      }
      const status = response.status;
      if (status === 202) return { kind: "delivered", refused: [] };
      if (status === 207 || status === 400) {
        const refused = refusedOf(events, status, text);
        if (refused) return { kind: "delivered", refused };
        if (status === 207) return { kind: "delivered", refused: [] };
        return { kind: "retry-later", reason: `ingest answered 400: ${text.slice(0, 200)}` };
      }
      if ((status === 429 || status === 503) && attempt < retries) {
        const after = Number(response.headers.get("retry-after"));
        const wait = Number.isFinite(after) && after > 0 ? after * 1000 : 250 * 2 ** attempt;
        await sleep(Math.min(wait, maxDelay));
        continue;
      }
      return { kind: "retry-later", reason: `ingest answered ${status}` };
    }
  }
}

/** The refused events of a 207/400 answer (`results`), or undefined when it has none. */
function refusedOf(
  events: TelemetryEventInput[],
  status: number,
  text: string,
): RefusedEvent[] | undefined {
  let results: unknown;
  try {
    results = (JSON.parse(text) as { results?: unknown }).results;
  } catch {
    return undefined;
  }
  if (!Array.isArray(results)) return undefined;
  const refusedAt = new Date().toISOString();
  const out: RefusedEvent[] = [];
  for (const r of results as { index?: unknown; status?: unknown; errors?: unknown }[]) {
    if (r?.status !== "refused" || typeof r.index !== "number") continue;
    const event = events[r.index];
    if (!event) continue;
    const errors = Array.isArray(r.errors)
      ? (r.errors as { path: string; message: string }[])
      : [{ path: "(event)", message: "refused" }];
    out.push({ refusedAt, status, errors, event });
  }
  return out;
}
