import { z } from "zod";
import {
  checkOrder,
  count,
  digest,
  entityId,
  platform,
  projectEnvelope,
  timestamp,
} from "./common.ts";

export const buildStatus = z.enum(["succeeded", "failed", "canceled"]);

export const buildStartedV1 = projectEnvelope.extend({
  type: z.literal("build.started"),
  data: z
    .object({
      buildId: entityId,
      number: z.int().positive(),
      platforms: z.array(platform).min(1, "at least one platform"),
      queuedAt: timestamp,
      startedAt: timestamp,
      builderId: entityId.nullable().default(null),
      gitRef: z.string().max(512).nullable().default(null),
      gitSha: z
        .string()
        .regex(/^[a-f0-9]{7,64}$/, "expected a git commit sha")
        .nullable()
        .default(null),
      dockerfile: z.string().min(1).max(1024).default("Dockerfile"),
    })
    .superRefine((d, ctx) =>
      checkOrder(ctx, d.queuedAt, d.startedAt, "startedAt", "startedAt is before queuedAt"),
    ),
});

export const buildFinishedV1 = projectEnvelope.extend({
  type: z.literal("build.finished"),
  data: z
    .object({
      buildId: entityId,
      number: z.int().positive(),
      status: buildStatus,
      /** Null when the build was canceled before it started. */
      startedAt: timestamp.nullable(),
      finishedAt: timestamp,
      durationMs: count,
      stepCount: count,
      cachedStepCount: count,
      error: z.string().max(65_536).nullable().default(null),
      imageDigest: digest.nullable().default(null),
    })
    .superRefine((d, ctx) => {
      checkOrder(ctx, d.startedAt, d.finishedAt, "finishedAt", "finishedAt is before startedAt");
      if (d.cachedStepCount > d.stepCount) {
        ctx.addIssue({
          code: "custom",
          path: ["cachedStepCount"],
          message: "cachedStepCount is larger than stepCount",
          input: d.cachedStepCount,
        });
      }
    }),
});

/**
 * The most characters of log text one step event carries (all its `logs[].text` together, as
 * JavaScript counts them): a builder sends the head of a longer output and sets `logsTruncated`.
 */
export const STEP_LOG_MAX_CHARS = 65_536;

/** One chunk of a step's output as BuildKit printed it (a VertexLog). */
export const stepLog = z.object({
  /** When the engine printed it; null when it did not say. */
  at: timestamp.nullable().default(null),
  stream: z.enum(["stdout", "stderr", "other"]),
  text: z.string().max(STEP_LOG_MAX_CHARS),
});
export type StepLogEntry = z.output<typeof stepLog>;

/** One BuildKit vertex (a solve step) of a build. */
export const stepV1 = projectEnvelope.extend({
  type: z.literal("step"),
  data: z
    .object({
      buildId: entityId,
      digest,
      /** The vertex name as BuildKit prints it, e.g. `[build 3/5] RUN npm ci`. */
      name: z.string().min(1).max(4096),
      /** The Dockerfile stage (`build`, `deps`), or null for `[internal]` and export vertices. */
      stage: z.string().min(1).max(256).nullable(),
      /** Set for multi-platform builds, where each platform has its own vertices. */
      platform: platform.nullable().default(null),
      dockerfileLine: z.int().positive().nullable(),
      startedAt: timestamp.nullable(),
      completedAt: timestamp.nullable(),
      cached: z.boolean(),
      error: z.string().max(65_536).nullable(),
      /** Digests of the vertices this one depends on. */
      inputs: z.array(digest).default([]),
      /** What the step printed, in order (at most STEP_LOG_MAX_CHARS characters in all). */
      logs: z.array(stepLog).max(10_000).default([]),
      /** The builder printed more than `logs` holds (they are its head). */
      logsTruncated: z.boolean().default(false),
    })
    .superRefine((d, ctx) => {
      checkOrder(ctx, d.startedAt, d.completedAt, "completedAt", "completedAt is before startedAt");
      let chars = 0;
      for (const log of d.logs) chars += log.text.length;
      if (chars > STEP_LOG_MAX_CHARS) {
        ctx.addIssue({
          code: "custom",
          path: ["logs"],
          message: `logs hold ${chars} characters; at most ${STEP_LOG_MAX_CHARS} per step (send the head and set logsTruncated)`,
          input: d.logs,
        });
      }
    }),
});
