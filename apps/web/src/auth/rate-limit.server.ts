// Sign-in throttling in Redis: fixed windows of failed attempts per account (email) and per
// client IP. While a key has reached its limit, sign-in is refused before the password is even
// checked, with the time the window ends. A successful sign-in clears the account's counter.

import { hashToken } from "@slipway/db";
import { Redis } from "ioredis";
import { getEnv } from "../env.server";

export interface LimitRule {
  /** Failures allowed per window. */
  limit: number;
  windowMs: number;
}

export const SIGNIN_LIMITS = {
  account: { limit: 5, windowMs: 15 * 60 * 1000 },
  /** Higher: several people may share an address (an office, a VPN). */
  ip: { limit: 20, windowMs: 15 * 60 * 1000 },
} as const satisfies Record<string, LimitRule>;

export type LimitCheck = { locked: false } | { locked: true; retryAt: Date };

export interface SigninLimiter {
  check(keys: SigninKeys, now?: Date): Promise<LimitCheck>;
  recordFailure(keys: SigninKeys): Promise<void>;
  reset(keys: Pick<SigninKeys, "email">): Promise<void>;
}

export interface SigninKeys {
  email: string;
  ip: string | null;
}

type RedisLike = Pick<Redis, "get" | "pttl" | "set" | "incr" | "del">;

export function createRedisSigninLimiter(
  redis: RedisLike,
  { prefix = "slipway:signin", limits = SIGNIN_LIMITS } = {},
): SigninLimiter {
  // Emails are hashed so Redis holds no addresses.
  const keysOf = (keys: Partial<SigninKeys>) => {
    const out: { key: string; rule: LimitRule }[] = [];
    if (keys.email) {
      out.push({
        key: `${prefix}:account:${hashToken(keys.email.toLowerCase())}`,
        rule: limits.account,
      });
    }
    if (keys.ip) out.push({ key: `${prefix}:ip:${keys.ip}`, rule: limits.ip });
    return out;
  };
  return {
    async check(keys, now = new Date()) {
      let retryAt: Date | null = null;
      for (const { key, rule } of keysOf(keys)) {
        const count = Number((await redis.get(key)) ?? 0);
        if (count >= rule.limit) {
          const ttl = await redis.pttl(key);
          const at = new Date(now.getTime() + (ttl > 0 ? ttl : rule.windowMs));
          if (!retryAt || at > retryAt) retryAt = at;
        }
      }
      return retryAt ? { locked: true, retryAt } : { locked: false };
    },
    async recordFailure(keys) {
      for (const { key, rule } of keysOf(keys)) {
        // The window starts at the first failure.
        await redis.set(key, "0", "PX", rule.windowMs, "NX");
        await redis.incr(key);
      }
    },
    async reset(keys) {
      for (const { key } of keysOf({ email: keys.email })) await redis.del(key);
    },
  };
}

const holder = globalThis as typeof globalThis & { __slipwayWebRedis?: Redis };

/** One Redis connection per process, for rate limits. */
export function getRedis(): Redis {
  holder.__slipwayWebRedis ??= new Redis(getEnv().REDIS_URL, {
    maxRetriesPerRequest: 2,
    connectTimeout: 2_000,
  });
  return holder.__slipwayWebRedis;
}

export function getSigninLimiter(): SigninLimiter {
  return createRedisSigninLimiter(getRedis());
}
