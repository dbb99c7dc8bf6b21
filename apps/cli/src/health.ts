import { z } from "zod";

const checkSchema = z.object({
  status: z.string(),
  latencyMs: z.number().optional(),
  error: z.string().optional(),
  detail: z.string().optional(),
});
export const healthSchema = z.object({
  status: z.string(),
  checks: z.record(z.string(), checkSchema),
});
export type Health = z.infer<typeof healthSchema>;

export async function fetchHealth(baseUrl: string, timeoutMs = 5_000): Promise<Health> {
  const url = new URL("/healthz", baseUrl);
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new Error(`cannot reach Slipway at ${url.origin}: ${(error as Error).message}`);
  }
  const parsed = healthSchema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw new Error(`${url} did not answer with a health report`);
  return parsed.data;
}

export function formatHealth(health: Health): string {
  const rows = Object.entries(health.checks).map(([name, check]) => {
    const latency = check.latencyMs === undefined ? "" : `${check.latencyMs} ms`;
    const note = check.error ?? check.detail ?? "";
    return `${name.padEnd(12)} ${check.status.padEnd(8)} ${latency.padStart(8)}  ${note}`.trimEnd();
  });
  return [`overall      ${health.status}`, ...rows].join("\n");
}
