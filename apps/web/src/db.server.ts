import { createDb, type Db } from "@slipway/db";
import { getEnv } from "./env.server";

export type { Db };

// One client (and so one connection pool) per process. In development Vite re-evaluates modules
// on change, so the client lives on globalThis to avoid leaking a pool per edit.
const holder = globalThis as typeof globalThis & { __slipwayWebDb?: Db };

export function getDb(): Db {
  holder.__slipwayWebDb ??= createDb(getEnv().DATABASE_URL);
  return holder.__slipwayWebDb;
}
