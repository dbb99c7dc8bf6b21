import { z } from "zod";

export const cliEnvSchema = z.object({
  SLIPWAY_URL: z
    .url({ message: "expected the URL of a Slipway dashboard" })
    .default("http://127.0.0.1:3000"),
});
export type CliEnv = z.infer<typeof cliEnvSchema>;

/** Validates the CLI's environment; the error names each bad variable. */
export function parseCliEnv(env: NodeJS.ProcessEnv): CliEnv {
  const result = cliEnvSchema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  throw new Error(`invalid environment:\n  ${problems.join("\n  ")}`);
}
