/**
 * Ingest entry: validates the environment, opens ClickHouse (migrating it), Redis and
 * PostgreSQL, serves HTTP, and shuts down cleanly on SIGTERM/SIGINT.
 */
import { exitWith, loadEnvOrExit } from "./boot.ts";

const PROGRAM = "ingest";
function fail(message: string): never {
  return exitWith(PROGRAM, message);
}
const env = loadEnvOrExit(PROGRAM);

// Loaded after the environment is known to be valid (@slipway/db reads it at import).
const { pino } = await import("pino");
const { createDb } = await import("@slipway/db");
const { openTelemetryStore, redactUrl } = await import("@slipway/telemetry");
const { createRedis } = await import("./redis.ts");
const { buildServer } = await import("./server.ts");
const { createQueues } = await import("./queues.ts");
const { startWorker } = await import("./worker.ts");
const { resolveServiceToken } = await import("./service-token.ts");

const log = pino({ name: "ingest", level: env.LOG_LEVEL });

let store: Awaited<ReturnType<typeof openTelemetryStore>>;
try {
  store = await openTelemetryStore(env);
} catch (err) {
  fail(`cannot open ClickHouse: ${err instanceof Error ? err.message : String(err)}`);
}
log.info({ clickhouse: store.kind, location: store.location }, "telemetry store ready (migrated)");

const redis = createRedis(env.REDIS_URL, log);
const db = createDb(env.DATABASE_URL);
const queues = createQueues({
  connection: redis,
  prefix: env.INGEST_QUEUE_PREFIX,
  attempts: env.INGEST_JOB_ATTEMPTS,
  retryDelayMs: env.INGEST_RETRY_DELAY_MS,
});
const worker =
  env.INGEST_WORKER === "on"
    ? startWorker({
        redisUrl: env.REDIS_URL,
        prefix: env.INGEST_QUEUE_PREFIX,
        queues,
        store,
        flushRows: env.INGEST_FLUSH_ROWS,
        flushMs: env.INGEST_FLUSH_MS,
        concurrency: env.INGEST_WORKER_CONCURRENCY,
        log,
      })
    : undefined;
// Billing usage rollups (BullMQ, idempotent): ClickHouse → PostgreSQL usage_daily, invoices.
const billing = worker
  ? await (await import("@slipway/billing/rollup")).startBillingRollups({
      redisUrl: env.REDIS_URL,
      prefix: env.INGEST_QUEUE_PREFIX,
      store,
      db,
      log,
    })
  : undefined;
const serviceToken = await resolveServiceToken(env.SLIPWAY_STATE_DIR, env.INGEST_SERVICE_TOKEN);
const app = await buildServer({
  db,
  redis,
  store,
  stateDir: env.SLIPWAY_STATE_DIR,
  queues,
  queuePrefix: env.INGEST_QUEUE_PREFIX,
  limits: {
    maxBodyBytes: env.INGEST_MAX_BODY_BYTES,
    maxEvents: env.INGEST_MAX_EVENTS,
    maxBacklog: env.INGEST_MAX_BACKLOG,
  },
  serviceToken,
  redisFsync: env.INGEST_REDIS_FSYNC,
  logger: log,
  healthTimeoutMs: env.INGEST_HEALTH_TIMEOUT_MS,
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) {
    log.warn({ signal }, "second signal: exiting now");
    process.exit(1);
  }
  stopping = true;
  log.info({ signal }, "shutting down");
  const force = setTimeout(() => {
    log.error("shutdown took longer than 10 s; exiting");
    process.exit(1);
  }, 10_000);
  force.unref();
  const steps: [string, () => Promise<unknown>][] = [
    ["http server", () => app.close()],
    // Finishes (and stores) the batches in hand; the rest stay queued for the next start.
    ["queue worker", async () => worker?.close()],
    // Finishes the rollup in hand (it uses ClickHouse and PostgreSQL, closed below); a job cut
    // short by the 10 s limit is retried at the next start (rollups are idempotent).
    ["billing rollups", async () => billing?.close()],
    ["queues", () => queues.close()],
    ["clickhouse", () => store.close()],
    ["redis", () => redis.quit()],
    ["database", () => db.$disconnect()],
  ];
  let ok = true;
  for (const [name, close] of steps) {
    try {
      await close();
    } catch (err) {
      ok = false;
      log.error({ err }, `closing ${name} failed`);
    }
  }
  log.info("stopped");
  process.exit(ok ? 0 : 1);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

try {
  await app.listen({ host: env.INGEST_HOST, port: env.INGEST_PORT });
} catch (err) {
  const code = (err as { code?: string }).code;
  await worker?.close();
  await billing?.close();
  await queues.close();
  await store.close();
  redis.disconnect();
  await db.$disconnect();
  fail(
    code === "EADDRINUSE"
      ? `port ${env.INGEST_PORT} on ${env.INGEST_HOST} is in use (is ingest already running? set INGEST_PORT)`
      : `cannot listen on ${env.INGEST_HOST}:${env.INGEST_PORT}: ${err instanceof Error ? err.message : String(err)}`,
  );
}
log.info(
  {
    database: redactUrl(env.DATABASE_URL),
    redis: redactUrl(env.REDIS_URL),
    stateDir: env.SLIPWAY_STATE_DIR,
  },
  `ingest listening on http://${env.INGEST_HOST}:${env.INGEST_PORT}`,
);
