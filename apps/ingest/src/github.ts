/** GitHub Actions webhook payloads (workflow_job, workflow_run) to telemetry events. */
import { createHash } from "node:crypto";
import { SCHEMA_VERSION_V1, type TelemetryEventInput } from "@slipway/telemetry";
import { z } from "zod";

/** A UUID (version 5 layout) derived from a key: the same delivery gives the same event ids. */
export function stableUuid(key: string): string {
  const h = createHash("sha256").update(key).digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

const time = z.string().nullish();
const STATUSES = ["queued", "waiting", "in_progress", "completed"] as const;
const CONCLUSIONS = [
  "success",
  "failure",
  "cancelled",
  "skipped",
  "timed_out",
  "neutral",
  "action_required",
] as const;
const status = (s: string | null | undefined) =>
  (STATUSES as readonly string[]).includes(s ?? "") ? (s as (typeof STATUSES)[number]) : "queued";
const conclusion = (c: string | null | undefined) =>
  (CONCLUSIONS as readonly string[]).includes(c ?? "") ? (c as (typeof CONCLUSIONS)[number]) : null;

export const workflowJobPayload = z.object({
  action: z.string(),
  repository: z.object({ full_name: z.string() }),
  workflow_job: z.object({
    id: z.number(),
    run_id: z.number(),
    run_attempt: z.number().default(1),
    name: z.string(),
    workflow_name: z.string().nullish(),
    status: z.string(),
    conclusion: z.string().nullish(),
    /** Missing from some older deliveries: then the start time stands in. */
    created_at: time,
    started_at: time,
    completed_at: time,
    labels: z.array(z.string()).default([]),
    runner_name: z.string().nullish(),
    runner_group_name: z.string().nullish(),
    head_branch: z.string().nullish(),
    head_sha: z.string().nullish(),
    steps: z
      .array(
        z.object({
          name: z.string(),
          status: z.string(),
          conclusion: z.string().nullish(),
          number: z.number(),
          started_at: time,
          completed_at: time,
        }),
      )
      .default([]),
  }),
});
export type WorkflowJobPayload = z.output<typeof workflowJobPayload>;

export const workflowRunPayload = z.object({
  action: z.string(),
  repository: z.object({ full_name: z.string() }),
  workflow_run: z.object({
    id: z.number(),
    name: z.string().nullish(),
    run_attempt: z.number().default(1),
  }),
  workflow: z.object({ name: z.string().nullish() }).nullish(),
});

/**
 * The runner.job event and runner.step events of one workflow_job delivery. Queue time is
 * started - created; a job GitHub still reports as queued/waiting has no start yet (its
 * payload repeats created_at there).
 */
export function workflowJobEvents(
  p: WorkflowJobPayload,
  orgId: string,
  workflowName: string | undefined,
): TelemetryEventInput[] {
  const j = p.workflow_job;
  const createdAt = j.created_at ?? j.started_at ?? new Date().toISOString();
  const jobStatus = status(j.status);
  const waiting = jobStatus === "queued" || jobStatus === "waiting";
  const startedAt = waiting ? null : (j.started_at ?? null);
  const completedAt = jobStatus === "completed" ? (j.completed_at ?? null) : null;
  const key = `github:${orgId}:${p.repository.full_name}:${j.run_id}:${j.run_attempt}:${j.id}`;
  const job: TelemetryEventInput = {
    id: stableUuid(`${key}:${jobStatus}`),
    schemaVersion: SCHEMA_VERSION_V1,
    type: "runner.job",
    orgId,
    projectId: null,
    time: completedAt ?? startedAt ?? createdAt,
    data: {
      repository: p.repository.full_name,
      workflow: j.workflow_name || workflowName || "(unknown workflow)",
      runId: j.run_id,
      runAttempt: j.run_attempt,
      jobId: j.id,
      jobName: j.name,
      labels: j.labels.filter((l) => l.length > 0),
      runnerName: j.runner_name || null,
      runnerGroup: j.runner_group_name || null,
      status: jobStatus,
      conclusion: conclusion(j.conclusion),
      queuedAt: createdAt,
      startedAt,
      completedAt,
      headBranch: j.head_branch ?? null,
      headSha: j.head_sha ?? null,
    },
  };
  const steps: TelemetryEventInput[] = j.steps.map((s) => ({
    id: stableUuid(`${key}:step:${s.number}:${s.status}`),
    schemaVersion: SCHEMA_VERSION_V1,
    type: "runner.step",
    orgId,
    projectId: null,
    time: s.completed_at ?? s.started_at ?? createdAt,
    data: {
      repository: p.repository.full_name,
      runId: j.run_id,
      runAttempt: j.run_attempt,
      jobId: j.id,
      number: s.number,
      name: s.name,
      status: status(s.status),
      conclusion: conclusion(s.conclusion),
      startedAt: s.started_at ?? null,
      completedAt: s.completed_at ?? null,
    },
  }));
  return [job, ...steps];
}
