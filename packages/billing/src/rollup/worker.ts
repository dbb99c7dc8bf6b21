// The BullMQ side of the rollup: one queue, one worker (in ingest, which owns the telemetry
// store). A scheduler adds a "recent" job every few minutes (yesterday and today, then closing
// periods that ended); "range" jobs recompute any period from the raw events. Jobs are idempotent
// (each replaces the rows of its days), so retries and duplicates are harmless.

import type { Db } from "@slipway/db";
import type { TelemetryStore } from "@slipway/telemetry";
import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { z } from "zod";
import { closePeriod, orgsWithEndedPeriods } from "../service.ts";
import { DAY_MS } from "./queries.ts";
import { rollupUsage } from "./rollup.ts";

export const BILLING_QUEUE = "billing-rollup";
/** How often the recent days are rolled up. */
export const RECENT_EVERY_MS = 5 * 60_000;
/** A period is closed (invoice finalised) this long after it ended, so late events count. */
export const CLOSE_GRACE_MS = 6 * 3_600_000;

const day = z.iso.date();
export const rollupJob = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("recent") }),
  z.object({
    kind: z.literal("range"),
    from: day,
    to: day,
    orgIds: z.array(z.string().min(1)).optional(),
  }),
]);
export type RollupJob = z.output<typeof rollupJob>;

interface Log {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface RollupWorkerOptions {
  redisUrl: string;
  prefix: string;
  store: TelemetryStore;
  db: Db;
  log: Log;
  /** Default true: schedule the "recent" job. */
  schedule?: boolean;
}

const midnight = (t: number) => new Date(Math.floor(t / DAY_MS) * DAY_MS);

/** What a job does; exported for tests. */
export async function runRollupJob(
  job: RollupJob,
  store: TelemetryStore,
  db: Db,
  now = new Date(),
) {
  if (job.kind === "range") {
    return {
      rollups: [
        await rollupUsage(store, db, {
          from: new Date(`${job.from}T00:00:00Z`),
          to: new Date(`${job.to}T00:00:00Z`),
          until: now,
          ...(job.orgIds && { orgIds: job.orgIds }),
        }),
      ],
      closed: [],
    };
  }
  const today = midnight(now.getTime());
  const rollups = [
    await rollupUsage(store, db, {
      from: new Date(today.getTime() - DAY_MS),
      to: new Date(today.getTime() + DAY_MS),
      until: now,
    }),
  ];
  const closed = [];
  // Periods that ended: bring the whole period up to date for the org, then close it.
  for (const sub of await orgsWithEndedPeriods(db, now, CLOSE_GRACE_MS)) {
    rollups.push(
      await rollupUsage(store, db, {
        from: sub.currentPeriodStart,
        to: sub.currentPeriodEnd,
        orgIds: [sub.orgId],
      }),
    );
    const result = await closePeriod(db, sub.orgId, now);
    if (result) closed.push({ orgId: sub.orgId, ...result });
  }
  return { rollups, closed };
}

export function billingQueue(connection: Redis, prefix: string) {
  return new Queue<RollupJob>(BILLING_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: 5,
      backoff: { type: "exponential", delay: 5_000 },
      removeOnComplete: 100,
      removeOnFail: 500,
    },
  });
}

/** Starts the worker (and the schedule); `close()` stops it after the job in hand. */
export async function startBillingRollups(o: RollupWorkerOptions) {
  // BullMQ needs maxRetriesPerRequest: null on the worker's (blocking) connection.
  const connection = new Redis(o.redisUrl, { maxRetriesPerRequest: null });
  connection.on("error", () => {});
  const queue = billingQueue(connection, o.prefix);
  if (o.schedule !== false) {
    await queue.upsertJobScheduler(
      "billing-recent",
      { every: RECENT_EVERY_MS },
      { name: "recent", data: { kind: "recent" } },
    );
  }
  const worker = new Worker<RollupJob>(
    BILLING_QUEUE,
    async (job) => {
      const parsed = rollupJob.parse(job.data);
      const result = await runRollupJob(parsed, o.store, o.db);
      o.log.info(
        {
          job: job.id,
          kind: parsed.kind,
          rows: result.rollups.reduce((n, r) => n + r.rows, 0),
          closed: result.closed.length,
        },
        "billing rollup done",
      );
      return { rows: result.rollups.reduce((n, r) => n + r.rows, 0), closed: result.closed.length };
    },
    // One at a time: two rollups of overlapping days would race on the same rows.
    { connection, prefix: o.prefix, concurrency: 1 },
  );
  worker.on("failed", (job, err) => o.log.error({ err, job: job?.id }, "billing rollup failed"));
  return {
    queue,
    worker,
    async close() {
      await worker.close();
      await queue.close();
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}

/** Queues a recompute of [from, to) from the raw events (run by ingest's worker). */
export async function enqueueRecompute(
  redisUrl: string,
  prefix: string,
  job: Omit<Extract<RollupJob, { kind: "range" }>, "kind">,
) {
  const data = rollupJob.parse({ kind: "range", ...job });
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = billingQueue(connection, prefix);
  try {
    const added = await queue.add("range", data);
    return added.id;
  } finally {
    await queue.close();
    await connection.quit();
  }
}
