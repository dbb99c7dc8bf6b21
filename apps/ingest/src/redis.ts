import { Redis } from "ioredis";

const lastErrors = new WeakMap<Redis, string>();

/**
 * A Redis connection for ingest (and BullMQ, which needs `maxRetriesPerRequest: null`). It
 * keeps reconnecting in the background; the last connection error is kept for /healthz.
 */
export function createRedis(
  url: string,
  log: { warn: (obj: object, msg: string) => void; info: (msg: string) => void },
): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, connectTimeout: 5_000 });
  let reported = "";
  redis.on("error", (err: Error) => {
    const message = err.message || String(err);
    lastErrors.set(redis, message);
    // ioredis reports the same failure on every retry; log it when it changes.
    if (message !== reported) {
      reported = message;
      log.warn({ err: message }, "redis connection error");
    }
  });
  redis.on("ready", () => {
    lastErrors.delete(redis);
    if (reported) log.info("redis connection restored");
    reported = "";
  });
  return redis;
}

export function lastRedisError(redis: Redis): string | undefined {
  return lastErrors.get(redis);
}
