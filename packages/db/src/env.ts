import { z } from "zod";

/** Local development database started by scripts/start; production sets DATABASE_URL. */
export const DEFAULT_DATABASE_URL = "postgresql://slipway:slipway@127.0.0.1:15432/slipway";

export const dbEnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .min(1)
    .default(DEFAULT_DATABASE_URL)
    .refine((v) => /^postgres(ql)?:\/\//.test(v) && URL.canParse(v), {
      message: "DATABASE_URL must be a postgresql:// URL",
    }),
});

export type DbEnv = z.infer<typeof dbEnvSchema>;

/** Validates the database settings in `env` (defaults to process.env). Throws if invalid. */
export function loadDbEnv(env: Record<string, string | undefined> = process.env): DbEnv {
  const parsed = dbEnvSchema.safeParse({ DATABASE_URL: env.DATABASE_URL || undefined });
  if (!parsed.success) {
    throw new Error(`Invalid database environment: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
