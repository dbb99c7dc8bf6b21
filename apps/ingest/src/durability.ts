import type { Redis } from "ioredis";

/**
 * How durable a queued batch must be before POST /v1/events acknowledges it.
 *
 * - `always`: Redis must run with `appendonly yes` and `appendfsync always`. Redis then writes
 *   AND fsyncs the AOF before it replies, so an acknowledged batch survives a SIGKILL of Redis
 *   and a crash of the machine. Redis 7.0 (Debian 12) has no WAITAOF, so this is the only way
 *   to wait for the fsync; ingest sets it with `CONFIG SET` on every (re)connect, because a
 *   restarted Redis comes back with its command-line setting.
 * - `everysec`: the setting scripts/start uses. Redis write()s the AOF before replying, so a
 *   SIGKILL of Redis alone loses nothing, except while a previous fsync is stalled (Redis then
 *   postpones the write up to 2 s); a crash of the machine loses up to ~1-2 s of acknowledged
 *   batches.
 */
export const REDIS_FSYNC_POLICIES = ["always", "everysec"] as const;
export type RedisFsyncPolicy = (typeof REDIS_FSYNC_POLICIES)[number];

export interface DurabilityState {
  policy: RedisFsyncPolicy;
  /** True when the current connection was checked (and set up) for the policy. */
  ok: boolean;
  appendonly?: string;
  appendfsync?: string;
  error?: string;
}

interface Log {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

async function configGet(redis: Redis, key: string): Promise<string | undefined> {
  const reply = (await redis.config("GET", key)) as unknown;
  return Array.isArray(reply) && typeof reply[1] === "string" ? reply[1] : undefined;
}

/**
 * Watches the queue's Redis connection and says whether a batch written on it now is as durable
 * as the policy wants. Every reconnect invalidates the check (the server may be a restarted one
 * with other settings) until it is redone, and `generation` lets a caller see that a reconnect
 * happened while its write was in flight: such a write may have run before the check was redone,
 * so it is not acknowledged (the client retries; a re-sent batch is stored once by event id).
 */
export class QueueDurability {
  #state: DurabilityState;
  #generation = 0;
  #checking: Promise<void> | undefined;
  readonly #onClose = () => {
    this.#generation++;
    this.#state = { ...this.#state, ok: false };
  };
  readonly #onReady = () => void this.check();

  constructor(
    private readonly redis: Redis,
    readonly policy: RedisFsyncPolicy,
    private readonly log?: Log,
  ) {
    this.#state = { policy, ok: false };
    redis.on("close", this.#onClose);
    redis.on("ready", this.#onReady);
    if (redis.status === "ready") void this.check();
  }

  /** Stops watching the connection (the connection itself stays open). */
  dispose(): void {
    this.redis.off("close", this.#onClose);
    this.redis.off("ready", this.#onReady);
  }

  get generation(): number {
    return this.#generation;
  }

  get state(): DurabilityState {
    return this.#state;
  }

  /** True when a batch written now is acknowledged durably (see the class comment). */
  get ok(): boolean {
    return this.#state.ok && this.redis.status === "ready";
  }

  /** (Re)checks the server's persistence settings, setting `appendfsync` when the policy asks. */
  check(): Promise<void> {
    this.#checking ??= this.#check().finally(() => {
      this.#checking = undefined;
    });
    return this.#checking;
  }

  async #check(): Promise<void> {
    const generation = this.#generation;
    let next: DurabilityState;
    try {
      const appendonly = await configGet(this.redis, "appendonly");
      let appendfsync = await configGet(this.redis, "appendfsync");
      if (this.policy === "always" && appendfsync !== "always") {
        await this.redis.config("SET", "appendfsync", "always");
        appendfsync = await configGet(this.redis, "appendfsync");
        this.log?.info({ appendfsync }, "set Redis appendfsync to always (INGEST_REDIS_FSYNC)");
      }
      const problems: string[] = [];
      if (appendonly !== "yes")
        problems.push(`Redis runs without append-only persistence (appendonly ${appendonly})`);
      if (this.policy === "always" && appendfsync !== "always")
        problems.push(`Redis appendfsync is ${appendfsync}, not always`);
      next = {
        policy: this.policy,
        ok: problems.length === 0,
        appendonly,
        appendfsync,
        ...(problems.length ? { error: problems.join("; ") } : {}),
      };
    } catch (err) {
      next = {
        policy: this.policy,
        ok: false,
        error: `cannot check Redis persistence (CONFIG): ${message(err)}`,
      };
    }
    // A reconnect while checking: the answer was about the previous connection.
    if (generation !== this.#generation) return;
    if (!next.ok) this.log?.warn({ error: next.error }, "Redis is not durable: batches refused");
    this.#state = next;
  }
}

class QueueTimeout extends Error {}

/** `work`, or a QueueTimeout after `ms` (the command itself may still run later). */
export function deadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new QueueTimeout(`Redis did not answer within ${ms} ms`)),
        ms,
      );
    }),
  ]).finally(() => clearTimeout(timer));
}
