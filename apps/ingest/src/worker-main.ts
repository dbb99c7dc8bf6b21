/**
 * Standalone queue worker: consumes the batches that `src/main.ts` queued (run that with
 * `INGEST_WORKER=off`) and writes them to ClickHouse. Needs `CLICKHOUSE_URL` (a server), or
 * exclusive use of the embedded data path `$SLIPWAY_STATE_DIR/clickhouse` (only one process can
 * open it, so not while an ingest server with the embedded engine runs). Same variables as the
 * server (`REDIS_URL`, `INGEST_QUEUE_PREFIX`, `INGEST_FLUSH_*`, `INGEST_WORKER_CONCURRENCY`,
 * `INGEST_JOB_ATTEMPTS`, `INGEST_RETRY_DELAY_MS`, `LOG_LEVEL`). SIGTERM/SIGINT finish the
 * batches in hand, then close the store and Redis.
 */
import { exitWith, loadEnvOrExit } from "./boot.ts";

const PROGRAM = "ingest worker";
function fail(message: string): never {
  return exitWith(PROGRAM, message);
}
const env = loadEnvOrExit(PROGRAM);

const { pino } = await import("pino");
const { openTelemetryStore, redactUrl, StoreLockedError } = await import("@slipway/telemetry");
const { createRedis } = await import("./redis.ts");
const { createQueues } = await import("./queues.ts");
const { startWorker } = await import("./worker.ts");

const log = pino({ name: "ingest-worker", level: env.LOG_LEVEL });

let store: Awaited<ReturnType<typeof openTelemetryStore>>;
try {
  store = await openTelemetryStore(env);
} catch (err) {
  if (err instanceof StoreLockedError) {
    fail(
      `${err.message}. The standalone worker needs CLICKHOUSE_URL, or the embedded data path to itself.`,
    );
  }
  fail(`cannot open ClickHouse: ${err instanceof Error ? err.message : String(err)}`);
}

const redis = createRedis(env.REDIS_URL, log);
const queues = createQueues({
  connection: redis,
  prefix: env.INGEST_QUEUE_PREFIX,
  attempts: env.INGEST_JOB_ATTEMPTS,
  retryDelayMs: env.INGEST_RETRY_DELAY_MS,
});
const worker = startWorker({
  redisUrl: env.REDIS_URL,
  prefix: env.INGEST_QUEUE_PREFIX,
  queues,
  store,
  flushRows: env.INGEST_FLUSH_ROWS,
  flushMs: env.INGEST_FLUSH_MS,
  concurrency: env.INGEST_WORKER_CONCURRENCY,
  log,
});
log.info(
  {
    clickhouse: store.kind,
    location: store.location,
    redis: redactUrl(env.REDIS_URL),
    prefix: env.INGEST_QUEUE_PREFIX,
  },
  "ingest worker consuming batches",
);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) process.exit(1);
  stopping = true;
  log.info({ signal }, "shutting down");
  const force = setTimeout(() => {
    log.error("shutdown took longer than 10 s; exiting");
    process.exit(1);
  }, 10_000);
  force.unref();
  let ok = true;
  const steps: [string, () => Promise<unknown>][] = [
    // Finishes (and stores) the batches in hand; the rest stay queued.
    ["queue worker", () => worker.close()],
    ["queues", () => queues.close()],
    ["clickhouse", () => store.close()],
    ["redis", () => redis.quit()],
  ];
  for (const [name, close] of steps) {
    try {
      await close();
    } catch (err) {
      ok = false;
      log.error({ err }, `closing ${name} failed`);
    }
  }
  process.exit(ok ? 0 : 1);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
