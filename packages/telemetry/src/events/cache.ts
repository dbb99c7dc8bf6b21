import { z } from "zod";
import { count, entityId, projectEnvelope } from "./common.ts";

/** The state of a project's build cache at one moment (`time`). */
export const cacheSnapshotV1 = projectEnvelope.extend({
  type: z.literal("cache.snapshot"),
  data: z
    .object({
      builderId: entityId.nullable().default(null),
      sizeBytes: count,
      reclaimableBytes: count,
      entryCount: count,
      /** Cache hits and misses (step level) since the previous snapshot. */
      hitCount: count,
      missCount: count,
    })
    .superRefine((d, ctx) => {
      if (d.reclaimableBytes > d.sizeBytes) {
        ctx.addIssue({
          code: "custom",
          path: ["reclaimableBytes"],
          message: "reclaimableBytes is larger than sizeBytes",
          input: d.reclaimableBytes,
        });
      }
    }),
});
