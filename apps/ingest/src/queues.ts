/**
 * Every BullMQ queue of ingest, and the zod schema of each one's job payload. The HTTP side
 * adds jobs, the worker (same process or `src/worker-main.ts`) consumes them; both validate
 * payloads against these schemas.
 */
import {
  COLUMNS,
  type EncodedFormat,
  type EncodedRows,
  encodeEvents,
  TABLES,
  type TableName,
  TELEMETRY_EVENT_TYPES,
  type TelemetryEvent,
  telemetryEvent,
  tsvString,
} from "@slipway/telemetry";
import { type ConnectionOptions, type JobsOptions, Queue } from "bullmq";
import { z } from "zod";

export const QUEUE_NAMES = {
  /** One job per accepted batch (HTTP POST /v1/events or one GitHub webhook delivery). */
  events: "ingest-events",
  /** Batches that failed every attempt (or can never succeed), kept for inspection/replay. */
  deadLetter: "ingest-dead-letter",
} as const;

export const eventSource = z.enum(["builder", "cli", "github", "seed"]);

/** A batch of validated events of ONE org (the tenant travels with the job). */
export const eventBatchJob = z
  .object({
    orgId: z.string().min(1),
    source: eventSource,
    /** ISO time the HTTP request was acknowledged. */
    receivedAt: z.iso.datetime(),
    /** Api token id or `github:<delivery id>`: who sent it (for audit/debugging). */
    sender: z.string().max(256),
    events: z.array(telemetryEvent).min(1),
  })
  .superRefine((job, ctx) => {
    job.events.forEach((e, i) => {
      if (e.orgId !== job.orgId) {
        ctx.addIssue({
          code: "custom",
          path: ["events", i, "orgId"],
          message: `event of org ${e.orgId} in a batch of org ${job.orgId}`,
        });
      }
    });
  });
export type EventBatchJob = z.output<typeof eventBatchJob>;

/**
 * A batch as the HTTP route queues it: the validated events already encoded as the rows they
 * are stored as (`TabSeparated` over `COLUMNS[table]` of @slipway/telemetry), one string per
 * table. BullMQ serialises job data as JSON: a few long strings cost far less to write and
 * read back than thousands of event objects, and the worker neither re-parses events nor
 * converts them again (profiled: job JSON + re-validation + row conversion were ~35% of the
 * server's CPU). TabSeparated replaced JSONCompactEachRow (`JSONCompactEachRow/v1`, still read
 * for batches queued before): its lines hold no quotes for the job's JSON to escape. If
 * COLUMNS ever change, bump the version so older queued batches are told apart: v2 added
 * `logs` and `logs_truncated` to build_steps_v1 (ClickHouse migration 0008); batches queued as
 * v1 are still read, over the columns they were written with (the new ones take their
 * DEFAULTs: no logs).
 */
export const ROWS_ENCODING = "TabSeparated/v2" as const;

/** COLUMNS as they were before v2: build_steps_v1 without the step log columns. */
export const V1_COLUMNS: Record<TableName, readonly string[]> = {
  ...COLUMNS,
  build_steps_v1: COLUMNS.build_steps_v1.filter((c) => c !== "logs" && c !== "logs_truncated"),
};

const ROWS_ENCODINGS = {
  "TabSeparated/v2": { format: "TabSeparated", columns: COLUMNS },
  "TabSeparated/v1": { format: "TabSeparated", columns: V1_COLUMNS },
  "JSONCompactEachRow/v1": { format: "JSONCompactEachRow", columns: V1_COLUMNS },
} as const satisfies Record<
  string,
  { format: EncodedFormat; columns: Record<TableName, readonly string[]> }
>;
type RowsEncoding = keyof typeof ROWS_ENCODINGS;

export interface RowsBatchJob {
  orgId: string;
  source: z.output<typeof eventSource>;
  receivedAt: string;
  sender: string;
  encoding: RowsEncoding;
  /** Events in the batch (= rows over all tables). */
  events: number;
  tables: Partial<Record<TableName, { rows: number; data: string }>>;
}

/** What the events queue holds: encoded rows (POST /v1/events) or events (webhooks, older jobs). */
export type IngestJobData = EventBatchJobInput | RowsBatchJob;

const batchEnvelope = z.object({
  orgId: z.string().min(1),
  source: eventSource,
  receivedAt: z.iso.datetime(),
  sender: z.string().max(256),
});
const eventsEnvelope = batchEnvelope.extend({ events: z.array(z.unknown()).min(1) });
const rowsEnvelope = batchEnvelope.extend({
  encoding: z.enum(Object.keys(ROWS_ENCODINGS) as [RowsEncoding, ...RowsEncoding[]]),
  events: z.int().positive(),
  // partialRecord: a batch has rows for some tables only (z.record over an enum wants all).
  tables: z.partialRecord(
    z.enum(Object.values(TABLES) as [TableName, ...TableName[]]),
    z.object({ rows: z.int().positive(), data: z.string().min(2) }),
  ),
});
const EVENT_TYPES = new Set<string>(TELEMETRY_EVENT_TYPES);

type Issue = { path: string; message: string };
export type QueuedBatchResult =
  | {
      ok: true;
      orgId: string;
      source: z.output<typeof eventSource>;
      events: number;
      rows: Map<string, EncodedRows>;
    }
  | { ok: false; issues: Issue[] };

const zodIssues = (e: z.ZodError): Issue[] =>
  e.issues.map((i) => ({ path: i.path.join("."), message: i.message }));

/**
 * The worker's check of a queued batch, and its rows. Every event was validated with the full
 * zod schema by the producer (POST /v1/events, the GitHub webhook) before it was queued, so the
 * worker does not run that schema again. It checks what a wrong or foreign payload would get
 * wrong: the envelope, known tables/types, row counts, and that every row (every event) is of
 * the batch's org — the tenant check stays on both sides of the queue. A payload that passes
 * this yet holds bad values fails at INSERT and ends in the dead-letter queue.
 */
export function parseQueuedBatch(data: unknown): QueuedBatchResult {
  if (data !== null && typeof data === "object" && "encoding" in data) {
    const env = rowsEnvelope.safeParse(data);
    if (!env.success) return { ok: false, issues: zodIssues(env.error) };
    const issues: Issue[] = [];
    const { format, columns } = ROWS_ENCODINGS[env.data.encoding];
    // Each line starts with org_id (COLUMNS all start with it): a JSON array's first value, or
    // the first TabSeparated field.
    const linePrefix =
      format === "TabSeparated"
        ? `${tsvString(env.data.orgId)}\t`
        : `[${JSON.stringify(env.data.orgId)},`;
    const rows = new Map<string, EncodedRows>();
    let total = 0;
    for (const [table, t] of Object.entries(env.data.tables) as [
      TableName,
      { rows: number; data: string },
    ][]) {
      let lines = 0;
      let bad = 0;
      for (let pos = 0; pos < t.data.length; ) {
        const end = t.data.indexOf("\n", pos);
        if (end === -1) {
          bad++;
          break;
        }
        if (!t.data.startsWith(linePrefix, pos)) bad++;
        lines++;
        pos = end + 1;
      }
      if (bad > 0)
        issues.push({
          path: `tables.${table}`,
          message: `${bad} rows are not of org ${env.data.orgId} (or not newline-terminated)`,
        });
      if (lines !== t.rows)
        issues.push({
          path: `tables.${table}`,
          message: `${lines} lines, ${t.rows} rows declared`,
        });
      rows.set(table, { columns: columns[table], data: t.data, rows: t.rows, format });
      total += t.rows;
    }
    if (total !== env.data.events)
      issues.push({ path: "events", message: `${total} rows, ${env.data.events} events declared` });
    if (issues.length > 0) return { ok: false, issues };
    return { ok: true, orgId: env.data.orgId, source: env.data.source, events: total, rows };
  }
  const env = eventsEnvelope.safeParse(data);
  if (!env.success) return { ok: false, issues: zodIssues(env.error) };
  const issues: Issue[] = [];
  const { orgId } = env.data;
  env.data.events.forEach((e, i) => {
    if (e === null || typeof e !== "object" || Array.isArray(e)) {
      issues.push({ path: `events.${i}`, message: "expected an event object" });
      return;
    }
    const ev = e as Record<string, unknown>;
    if (typeof ev.type !== "string" || !EVENT_TYPES.has(ev.type))
      issues.push({ path: `events.${i}.type`, message: `unknown event type ${String(ev.type)}` });
    if (typeof ev.id !== "string") issues.push({ path: `events.${i}.id`, message: "missing id" });
    if (ev.data === null || typeof ev.data !== "object")
      issues.push({ path: `events.${i}.data`, message: "missing data" });
    if (ev.orgId !== orgId)
      issues.push({
        path: `events.${i}.orgId`,
        message: `event of org ${String(ev.orgId)} in a batch of org ${orgId}`,
      });
  });
  if (issues.length > 0) return { ok: false, issues };
  const events = env.data.events as TelemetryEvent[];
  return {
    ok: true,
    orgId,
    source: env.data.source,
    events: events.length,
    rows: encodeEvents(events, env.data.source),
  };
}

export type EventBatchJobInput = z.input<typeof eventBatchJob>;

export const deadLetterJob = z.object({
  /** The id of the failed job in the events queue. */
  jobId: z.string(),
  orgId: z.string(),
  failedAt: z.iso.datetime(),
  attempts: z.int().nonnegative(),
  error: z.string(),
  /** The original payload, as queued (it may be what made the batch fail). */
  payload: z.unknown(),
});
export type DeadLetterJob = z.output<typeof deadLetterJob>;

export interface QueueSettings {
  connection: ConnectionOptions;
  /** Redis key prefix (tests use their own so parallel files do not collide). */
  prefix: string;
  attempts: number;
  retryDelayMs: number;
}

export interface IngestQueues {
  events: Queue<IngestJobData>;
  deadLetter: Queue<DeadLetterJob>;
  /** Options every events job is added with. */
  jobOptions: JobsOptions;
  close(): Promise<void>;
}

export function createQueues(s: QueueSettings): IngestQueues {
  const events = new Queue<IngestJobData>(QUEUE_NAMES.events, {
    connection: s.connection,
    prefix: s.prefix,
  });
  const deadLetter = new Queue<DeadLetterJob>(QUEUE_NAMES.deadLetter, {
    connection: s.connection,
    prefix: s.prefix,
  });
  // While Redis is away every queue re-emits each connection error; without a listener they
  // are printed as stack traces. The connection's owner logs them (createRedis) and /healthz
  // reports them, and callers see the failed command itself.
  events.on("error", () => {});
  deadLetter.on("error", () => {});
  const jobOptions: JobsOptions = {
    attempts: s.attempts,
    backoff: { type: "exponential", delay: s.retryDelayMs },
    // Done batches are in ClickHouse; keep a few for debugging. Failed ones are in the DLQ.
    removeOnComplete: { count: 100 },
    removeOnFail: { count: 1000 },
  };
  return {
    events,
    deadLetter,
    jobOptions,
    async close() {
      await Promise.all([events.close(), deadLetter.close()]);
    },
  };
}

export interface QueueStats {
  waiting: number;
  delayed: number;
  active: number;
  failed: number;
  deadLetter: number;
}

export async function queueStats(q: IngestQueues): Promise<QueueStats> {
  const [c, dl] = await Promise.all([
    q.events.getJobCounts("waiting", "prioritized", "delayed", "active", "failed"),
    q.deadLetter.getJobCounts("waiting", "prioritized", "delayed", "completed", "failed"),
  ]);
  return {
    waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
    delayed: c.delayed ?? 0,
    active: c.active ?? 0,
    failed: c.failed ?? 0,
    deadLetter: Object.values(dl).reduce((a, b) => a + (b ?? 0), 0),
  };
}
