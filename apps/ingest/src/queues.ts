/**
 * Every BullMQ queue of ingest, and the zod schema of each one's job payload. The HTTP side
 * adds jobs, the worker (same process or `src/worker-main.ts`) consumes them; both validate
 * payloads against these schemas.
 */
import { telemetryEvent } from "@slipway/telemetry";
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
  events: Queue<EventBatchJobInput>;
  deadLetter: Queue<DeadLetterJob>;
  /** Options every events job is added with. */
  jobOptions: JobsOptions;
  close(): Promise<void>;
}

export function createQueues(s: QueueSettings): IngestQueues {
  const events = new Queue<EventBatchJobInput>(QUEUE_NAMES.events, {
    connection: s.connection,
    prefix: s.prefix,
  });
  const deadLetter = new Queue<DeadLetterJob>(QUEUE_NAMES.deadLetter, {
    connection: s.connection,
    prefix: s.prefix,
  });
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
