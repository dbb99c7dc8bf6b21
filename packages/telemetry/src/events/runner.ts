import { z } from "zod";
import { checkOrder, orgEnvelope, repository, timestamp } from "./common.ts";

/** GitHub's numeric ids (run, job) fit in a JS safe integer. */
const githubId = z.int().positive();

export const runnerStatus = z.enum(["queued", "waiting", "in_progress", "completed"]);
export const runnerConclusion = z.enum([
  "success",
  "failure",
  "cancelled",
  "skipped",
  "timed_out",
  "neutral",
  "action_required",
]);

/** A GitHub Actions `workflow_job`, as last seen (queued, in progress or completed). */
export const runnerJobV1 = orgEnvelope.extend({
  type: z.literal("runner.job"),
  data: z
    .object({
      repository,
      workflow: z.string().min(1).max(512),
      runId: githubId,
      runAttempt: z.int().positive(),
      jobId: githubId,
      jobName: z.string().min(1).max(512),
      labels: z.array(z.string().min(1).max(256)),
      runnerName: z.string().max(256).nullable(),
      runnerGroup: z.string().max(256).nullable(),
      status: runnerStatus,
      conclusion: runnerConclusion.nullable(),
      queuedAt: timestamp,
      startedAt: timestamp.nullable(),
      completedAt: timestamp.nullable(),
      headBranch: z.string().max(512).nullable().default(null),
      headSha: z
        .string()
        .regex(/^[a-f0-9]{7,64}$/, "expected a git commit sha")
        .nullable()
        .default(null),
    })
    .superRefine((d, ctx) => {
      checkOrder(ctx, d.queuedAt, d.startedAt, "startedAt", "startedAt is before queuedAt");
      checkOrder(ctx, d.startedAt, d.completedAt, "completedAt", "completedAt is before startedAt");
    }),
});

/** One step of a GitHub Actions job. */
export const runnerStepV1 = orgEnvelope.extend({
  type: z.literal("runner.step"),
  data: z
    .object({
      repository,
      runId: githubId,
      runAttempt: z.int().positive(),
      jobId: githubId,
      number: z.int().positive(),
      name: z.string().min(1).max(1024),
      status: runnerStatus,
      conclusion: runnerConclusion.nullable(),
      startedAt: timestamp.nullable(),
      completedAt: timestamp.nullable(),
    })
    .superRefine((d, ctx) =>
      checkOrder(ctx, d.startedAt, d.completedAt, "completedAt", "completedAt is before startedAt"),
    ),
});
