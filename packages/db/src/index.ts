// @slipway/db: the Prisma client for Slipway's PostgreSQL database, plus small helpers that
// encode schema conventions (build numbers, audit sequence numbers, token and password hashes).

import { PrismaPg } from "@prisma/adapter-pg";
import { loadDbEnv } from "./env.ts";
import { PrismaClient } from "./generated/prisma/client.ts";

export * from "./audit/index.ts";
export * from "./audit.ts";
export * from "./crypto.ts";
export { type DbEnv, DEFAULT_DATABASE_URL, dbEnvSchema, loadDbEnv } from "./env.ts";
// Model types (User, Build, ...), enums (Role, BuildStatus, ...), Prisma namespace, PrismaClient.
export * from "./generated/prisma/client.ts";
export * from "./invites.ts";
export * from "./sessions.ts";

/** The database settings from process.env, validated once at import. */
export const dbEnv = loadDbEnv();

export type Db = PrismaClient;
/** A client or the client handed to `db.$transaction(async (tx) => ...)`. */
export type DbTx = Omit<
  PrismaClient,
  "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends"
>;

export interface CreateDbOptions {
  /** Pool size; default 10. */
  max?: number;
  /** Give up connecting after this long; default 5000 ms. */
  connectionTimeoutMillis?: number;
}

const connectionUrls = new WeakMap<object, string>();

/** A PrismaClient over a pg connection pool. Call `$disconnect()` when done. */
export function createDb(url: string = dbEnv.DATABASE_URL, options: CreateDbOptions = {}): Db {
  const adapter = new PrismaPg({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5_000,
    idleTimeoutMillis: 30_000,
  });
  const db = new PrismaClient({ adapter });
  connectionUrls.set(db, url);
  return db;
}

/**
 * The connection string a client of `createDb` was made with (undefined for a transaction
 * client): for the few readers that stream past Prisma, e.g. audit verification's cursor.
 */
export function connectionUrlOf(db: object): string | undefined {
  return connectionUrls.get(db);
}

export interface DatabaseHealth {
  status: "ok" | "error";
  latencyMs: number;
  error?: string;
}

const CREDENTIALS_IN_URL = /(postgres(?:ql)?:\/\/[^:/@\s]+):[^@\s]*@/gi;

/** For /healthz: never throws; reports the round-trip of `SELECT 1` or why it failed. */
export async function checkDatabase(
  db: Pick<Db, "$queryRaw">,
  { timeoutMs = 3_000 }: { timeoutMs?: number } = {},
): Promise<DatabaseHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const query = db.$queryRaw`SELECT 1`;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    query.catch(() => {}); // a late failure after the timeout is not unhandled
    await Promise.race([query, timeout]);
    return { status: "ok", latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    const raw = err instanceof Error ? err.message : String(err);
    // Prisma wraps driver errors as "Invalid `prisma.$queryRaw()` invocation: ... Message: `...`".
    const message =
      /Message: `([^`]+)`/.exec(raw)?.[1] ?? raw.split("\n").filter(Boolean).at(-1) ?? "";
    return {
      status: "error",
      latencyMs: Math.round(performance.now() - started),
      error: message.replace(CREDENTIALS_IN_URL, "$1:***@").trim() || "unknown database error",
    };
  } finally {
    clearTimeout(timer);
  }
}

/** Hands out the next build number of a project (atomic; safe under concurrency). */
export async function allocateBuildNumber(db: DbTx, projectId: string): Promise<number> {
  const { lastBuildNumber } = await db.project.update({
    where: { id: projectId },
    data: { lastBuildNumber: { increment: 1 } },
    select: { lastBuildNumber: true },
  });
  return lastBuildNumber;
}

/**
 * Hands out the next audit sequence number of an org. Call inside the transaction that inserts
 * the event: the row lock on the org serialises appends, so prevHash is read consistently.
 */
export async function allocateAuditSeq(db: DbTx, orgId: string): Promise<bigint> {
  const { lastAuditSeq } = await db.org.update({
    where: { id: orgId },
    data: { lastAuditSeq: { increment: 1 } },
    select: { lastAuditSeq: true },
  });
  return lastAuditSeq;
}
