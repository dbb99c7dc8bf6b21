export { EnvError, type IngestEnv, loadEnv } from "./env.ts";
export {
  type CheckResult,
  type HealthChecks,
  type HealthReport,
  runHealthChecks,
  withTimeout,
} from "./health.ts";
export { createRedis } from "./redis.ts";
export { buildServer, type ServerDeps } from "./server.ts";
