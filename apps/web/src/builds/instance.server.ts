import { z } from "zod";
import { getDb } from "../db.server";
import { getEnv } from "../env.server";
import { BuildService } from "./service.server";
import { IngestSink, SpoolSink, spoolFile } from "./sink.server";

/** Default largest context upload: 512 MiB of tar. */
export const DEFAULT_MAX_CONTEXT_BYTES = 512 * 1024 * 1024;

const buildEnvSchema = z.object({
  SLIPWAY_MAX_CONTEXT_BYTES: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z
      .string()
      .regex(/^\d+$/, { message: "must be a number of bytes (0: no limit)" })
      .transform(Number)
      .default(DEFAULT_MAX_CONTEXT_BYTES),
  ),
});

/** Build settings that are not in env.server.ts yet (read here, validated the same way). */
export function buildEnv(source: Record<string, string | undefined> = process.env) {
  const result = buildEnvSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new Error(`invalid configuration: ${problems.join("; ")}`);
  }
  return { maxContextBytes: result.data.SLIPWAY_MAX_CONTEXT_BYTES };
}

// One service (and so one BuilderPool, which owns the engines of this state directory) per
// process, created at start-up (entry.server.tsx) so that builds an earlier process left queued
// or running are marked failed before anyone looks at them. It lives on globalThis so Vite's
// module reloads in development do not start a second pool over the same engines.
const holder = globalThis as typeof globalThis & { __slipwayBuildService?: BuildService };

export function getBuildService(): BuildService {
  if (holder.__slipwayBuildService) return holder.__slipwayBuildService;
  const env = getEnv();
  const stateDir = env.SLIPWAY_STATE_DIR;
  const service = new BuildService({
    db: getDb(),
    stateDir,
    maxContextBytes: buildEnv().maxContextBytes,
    sink: new IngestSink(env.INGEST_URL, new SpoolSink(spoolFile(stateDir))),
  });
  holder.__slipwayBuildService = service;
  // builds an earlier process left queued or running never finish: they are marked failed now
  service.failInterruptedBuilds().catch((error: unknown) => {
    console.error("[slipway builds] could not mark interrupted builds failed", error);
  });
  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    // builds are canceled and recorded, engines stopped; then the process may end (the HTTP
    // server closes on the same signal). The timer only fires if something else holds on.
    void service.close().finally(() => {
      setTimeout(() => process.exit(0), 2_000).unref();
    });
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
  return service;
}
