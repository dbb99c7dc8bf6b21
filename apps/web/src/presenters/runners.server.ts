// GitHub Actions runners of an org, from ingest: minutes and queue time by label and by day, and
// the jobs list. Every query names the org id (resolved from the signed-in user's membership).

import { z } from "zod";
import type { TelemetryQueryClient } from "../telemetry/query.server";
import {
  RUNNER_JOBS_MAX_PAGE,
  RUNNER_JOBS_PAGE_SIZE,
  RUNNER_PERIODS,
  type RunnerPeriod,
} from "./project-options";
import { type Insight, insight } from "./telemetry-result.server";

const numOrNull = z.union([z.null(), z.coerce.number()]);

const labelRows = z.object({
  rows: z.array(
    z.object({
      label: z.string(),
      jobs: z.coerce.number(),
      runMinutes: z.coerce.number(),
      p50QueueMs: numOrNull,
      p95QueueMs: numOrNull,
      maxQueueMs: numOrNull,
    }),
  ),
});

const dailyRows = z.object({
  rows: z.array(
    z.object({
      day: z.string(),
      label: z.string(),
      jobs: z.coerce.number(),
      p50QueueMs: numOrNull,
      p95QueueMs: numOrNull,
      runMinutes: z.coerce.number(),
    }),
  ),
});

const jobRows = z.object({
  rows: z.array(
    z.object({
      repository: z.string(),
      workflow: z.string(),
      runId: z.coerce.number(),
      runAttempt: z.coerce.number(),
      jobId: z.coerce.number(),
      jobName: z.string(),
      labels: z.array(z.string()),
      runnerName: z.string().nullable(),
      status: z.string(),
      conclusion: z.string().nullable(),
      queuedAt: z.string(),
      startedAt: z.string().nullable(),
      completedAt: z.string().nullable(),
      queueMs: numOrNull,
      durationMs: numOrNull,
    }),
  ),
});

export type RunnerLabel = z.output<typeof labelRows>["rows"][number];
export type RunnerJob = z.output<typeof jobRows>["rows"][number];
/** One row per day: `<label>` → minutes, `<label>:p95` → queue p95 in seconds. */
export type RunnerDay = { day: string } & Record<string, number | string | null>;

export { RUNNER_JOBS_MAX_PAGE, RUNNER_JOBS_PAGE_SIZE, RUNNER_PERIODS, type RunnerPeriod };

export interface RunnersView {
  period: { days: RunnerPeriod; since: string };
  labels: RunnerLabel[];
  /** Labels by minutes run (the chart's series order), at most 6; the rest summed as "other". */
  series: string[];
  daily: RunnerDay[];
  jobs: { rows: RunnerJob[]; page: number; hasNext: boolean };
}

export function parsePeriod(value: string | null): RunnerPeriod | null {
  if (value === null || value === "") return 30;
  const n = Number(value);
  return (RUNNER_PERIODS as readonly number[]).includes(n) ? (n as RunnerPeriod) : null;
}

const MAX_SERIES = 6;

function dayList(since: Date, now: Date): string[] {
  const days: string[] = [];
  const start = Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate());
  for (let t = start; t <= now.getTime(); t += 86_400_000)
    days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

export async function getRunners(
  telemetry: TelemetryQueryClient,
  q: { orgId: string; days: RunnerPeriod; page: number; now?: Date },
): Promise<Insight<RunnersView>> {
  const now = q.now ?? new Date();
  const since = new Date(now.getTime() - q.days * 86_400_000);
  return insight(async () => {
    const [labels, daily, jobs] = await Promise.all([
      telemetry.get("/v1/query/runners/labels", { orgId: q.orgId, since }, labelRows),
      telemetry.get("/v1/query/runners/daily", { orgId: q.orgId, since }, dailyRows),
      telemetry.get(
        "/v1/query/runners/jobs",
        { orgId: q.orgId, since, limit: q.page * RUNNER_JOBS_PAGE_SIZE + 1 },
        jobRows,
      ),
    ]);
    const top = labels.rows.slice(0, MAX_SERIES).map((l) => l.label);
    const hasOther = labels.rows.length > MAX_SERIES;
    const series = hasOther ? [...top, "other"] : top;
    const byDay = new Map<string, RunnerDay>();
    for (const day of dayList(since, now)) {
      const row: RunnerDay = { day };
      for (const s of series) row[s] = 0;
      byDay.set(day, row);
    }
    for (const r of daily.rows) {
      const row = byDay.get(r.day);
      if (!row) continue;
      const key = top.includes(r.label) ? r.label : "other";
      row[key] = Math.round(((Number(row[key]) || 0) + r.runMinutes) * 10) / 10;
      if (top.includes(r.label))
        row[`${r.label}:p95`] = r.p95QueueMs === null ? null : r.p95QueueMs / 1000;
    }
    const start = (q.page - 1) * RUNNER_JOBS_PAGE_SIZE;
    return {
      period: { days: q.days, since: since.toISOString() },
      labels: labels.rows,
      series,
      daily: [...byDay.values()],
      jobs: {
        rows: jobs.rows.slice(start, start + RUNNER_JOBS_PAGE_SIZE),
        page: q.page,
        hasNext: jobs.rows.length > start + RUNNER_JOBS_PAGE_SIZE && q.page < RUNNER_JOBS_MAX_PAGE,
      },
    };
  });
}

/** The newest job GitHub reported, for "last delivery received" on the webhook page. */
export async function getLastRunnerJob(
  telemetry: TelemetryQueryClient,
  orgId: string,
): Promise<Insight<RunnerJob | null>> {
  return insight(async () => {
    const body = await telemetry.get(
      "/v1/query/runners/jobs",
      { orgId, since: new Date(Date.now() - 90 * 86_400_000), limit: 1 },
      jobRows,
    );
    return body.rows[0] ?? null;
  });
}
