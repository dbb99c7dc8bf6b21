import { initTRPC } from "@trpc/server";
import type { Db } from "../db.server";

/** What every procedure can use. Sign-in (a later issue) adds the session here. */
export interface Context {
  db: Db;
  /** From the caller's `x-request-id` header, or generated; echoed in logs and errors. */
  requestId: string;
}

const t = initTRPC.context<Context>().create({
  isDev: process.env.NODE_ENV !== "production",
  errorFormatter({ shape, ctx }) {
    return { ...shape, data: { ...shape.data, requestId: ctx?.requestId } };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** No authentication yet: the whole dashboard is public until the auth issue lands. */
export const publicProcedure = t.procedure;
