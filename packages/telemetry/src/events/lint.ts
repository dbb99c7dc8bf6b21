import { z } from "zod";
import { entityId, projectEnvelope } from "./common.ts";

export const lintLevel = z.enum(["error", "warning", "info", "style"]);

/** One Dockerfile lint finding (hadolint-style codes such as DL3008 or SC2086). */
export const lintFindingV1 = projectEnvelope.extend({
  type: z.literal("lint.finding"),
  data: z.object({
    /** Null when the lint ran outside a build (e.g. the CLI's `lint` command). */
    buildId: entityId.nullable(),
    code: z.string().regex(/^[A-Z]{2,4}\d{3,5}$/, "expected a rule code like DL3008 or SC2086"),
    level: lintLevel,
    line: z.int().positive(),
    message: z.string().min(1).max(4096),
    file: z.string().min(1).max(1024).default("Dockerfile"),
  }),
});
