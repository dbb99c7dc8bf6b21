import type { TelemetryStore } from "@slipway/telemetry";
import { type Job, UnrecoverableError, Worker } from "bullmq";
import { Redis } from "ioredis";
import { InsertBuffer, type RowSink } from "./insert-buffer.ts";
import {
  type DeadLetterJob,
  type IngestJobData,
  type IngestQueues,
  parseQueuedBatch,
  QUEUE_NAMES,
} from "./queues.ts";

export interface WorkerLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface IngestWorkerOptions {
  redisUrl: string;
  prefix: string;
  queues: IngestQueues;
  /** The store, or a function giving the current one (it may be swapped while running). */
  store: TelemetryStore | (() => RowSink);
  flushRows: number;
  flushMs: number;
  concurrency: number;
  log?: WorkerLog;
  /** BullMQ lock settings (tests shorten them to see stalled jobs come back quickly). */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** How often a batch may stall (its lock lapsed) and be taken again; default 20. */
  maxStalledCount?: number;
}

/**
 * BullMQ fails a job that stalled more than maxStalledCount times (its lock lapsed: a worker
 * killed, or Redis restarted or too slow to renew it) with this reason, as unrecoverable and
 * without calling the processor. Measured: under disk pressure (appendfsync always) with a Redis
 * SIGKILL, BullMQ's default of one stall failed acknowledged batches, which were then lost.
 */
const STALLED_TOO_OFTEN = "job stalled more than allowable limit";

export interface IngestWorker {
  worker: Worker<IngestJobData>;
  buffer: InsertBuffer;
  /** Stops taking jobs, finishes (and stores) the active ones, closes the connection. */
  close(): Promise<void>;
  /** Stops at once without waiting for active jobs (they come back as stalled jobs). */
  kill(): Promise<void>;
}

const silent: WorkerLog = { info() {}, warn() {}, error() {} };
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Consumes event batches from the queue and writes them to ClickHouse in coalesced INSERTs. */
export function startWorker(o: IngestWorkerOptions): IngestWorker {
  const log = o.log ?? silent;
  const sink = typeof o.store === "function" ? o.store : () => o.store as TelemetryStore;
  const buffer = new InsertBuffer(sink, { flushRows: o.flushRows, flushMs: o.flushMs });
  // BullMQ needs maxRetriesPerRequest: null on the worker's (blocking) connection.
  const connection = new Redis(o.redisUrl, { maxRetriesPerRequest: null });
  connection.on("error", () => {}); // reported through /healthz and BullMQ's own errors

  async function deadLetter(job: Job<IngestJobData>, error: string) {
    const entry: DeadLetterJob = {
      jobId: String(job.id),
      orgId: typeof job.data?.orgId === "string" ? job.data.orgId : "",
      failedAt: new Date().toISOString(),
      attempts: job.attemptsMade + 1,
      error,
      payload: job.data,
    };
    // The job id makes this idempotent if the worker dies between here and the failure.
    await o.queues.deadLetter.add("dead", entry, { jobId: `dead-${job.id}` });
    log.error({ jobId: job.id, orgId: entry.orgId, error }, "batch moved to the dead-letter queue");
  }

  const worker = new Worker<IngestJobData>(
    QUEUE_NAMES.events,
    async (job) => {
      const parsed = parseQueuedBatch(job.data);
      if (!parsed.ok) {
        const why = `invalid batch payload: ${parsed.issues
          .slice(0, 5)
          .map((i) => `${i.path}: ${i.message}`)
          .join("; ")}`;
        await deadLetter(job, why);
        throw new UnrecoverableError(why);
      }
      try {
        await buffer.add(parsed.rows);
      } catch (err) {
        const attempts = job.opts.attempts ?? 1;
        if (job.attemptsMade + 1 >= attempts) await deadLetter(job, message(err));
        else
          log.warn(
            { jobId: job.id, attempt: job.attemptsMade + 1, attempts, err: message(err) },
            "storing a batch failed; it will be retried",
          );
        throw err;
      }
      return { events: parsed.events };
    },
    {
      connection,
      prefix: o.prefix,
      concurrency: o.concurrency,
      lockDuration: o.lockDurationMs ?? 30_000,
      stalledInterval: o.stalledIntervalMs ?? 30_000,
      // A stalled batch is taken again and stored once (rows are replaced by event id), so
      // stalls are retried well past BullMQ's default of one; see STALLED_TOO_OFTEN.
      maxStalledCount: o.maxStalledCount ?? 20,
      removeOnComplete: { count: 100 },
      removeOnFail: { count: 1000 },
    },
  );
  worker.on("error", (err) => log.warn({ err: message(err) }, "queue worker error"));
  // Nothing acknowledged is dropped: a batch BullMQ itself gives up on (the processor never ran)
  // goes to the dead-letter queue with its payload, like the batches the processor gives up on.
  worker.on("failed", (job, err) => {
    if (!job || err.message !== STALLED_TOO_OFTEN) return;
    deadLetter(job, `${STALLED_TOO_OFTEN} (${job.stalledCounter} times)`).catch((e: unknown) =>
      log.error({ jobId: job.id, err: message(e) }, "could not dead-letter a stalled batch"),
    );
  });

  let closed: Promise<void> | undefined;
  return {
    worker,
    buffer,
    close() {
      closed ??= (async () => {
        await worker.close();
        await buffer.close();
        await connection.quit().catch(() => connection.disconnect());
      })();
      return closed;
    },
    kill() {
      closed ??= (async () => {
        await worker.close(true);
        connection.disconnect();
      })();
      return closed;
    },
  };
}
