import { initTRPC, TRPCError } from "@trpc/server";
import { z } from "zod";
import { can, type Permission } from "../auth/permissions";
import type { RequestInfo } from "../auth/request-info.server";
import { type Auth, findOrgAccess } from "../auth/session.server";
import type { Db } from "../db.server";
import { isSlug } from "../presenters/params";
import type { OrgActor } from "../services/actor";
import { ServiceError } from "../services/errors";

/** What every procedure can use. */
export interface Context {
  db: Db;
  /** From the caller's `x-request-id` header, or generated; echoed in logs and errors. */
  requestId: string;
  /** The signed-in user (session cookie), or null. */
  auth: Auth | null;
  /** Client IP (behind a trusted proxy) and user agent, for sessions and the audit log. */
  info?: Omit<RequestInfo, "requestId">;
}

/** `orgProcedure.meta({ permission })`: the role-table entry a procedure needs. */
export interface Meta {
  permission?: Permission;
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    isDev: process.env.NODE_ENV !== "production",
    errorFormatter({ shape, ctx }) {
      return { ...shape, data: { ...shape.data, requestId: ctx?.requestId } };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Services refuse with ServiceError; clients see the matching tRPC code and the message. */
const serviceErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof ServiceError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: cause.code, message: cause.message, cause });
  }
  return result;
});

/** Anyone: no session needed. */
export const publicProcedure = t.procedure.use(serviceErrors);

/** A signed-in user (any org or none). UNAUTHORIZED without a valid session. */
export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.auth) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first." });
  return next({ ctx: { ...ctx, auth: ctx.auth } });
});

export const orgSlugInput = z.string().refine(isSlug, { message: "not a valid org slug" });

/**
 * A member of the org named by `input.orgSlug`, with the procedure's `meta.permission`. Checked
 * before the resolver runs: a non-member gets NOT_FOUND exactly like a missing org (existence is
 * never leaked), a member without the permission FORBIDDEN. `ctx.actor` is the membership.
 */
export const orgProcedure = authedProcedure
  .input(z.object({ orgSlug: orgSlugInput }))
  .use(async ({ ctx, input, meta, next, path }) => {
    const permission = meta?.permission;
    if (!permission) {
      throw new TRPCError({
        code: "INTERNAL_SERVER_ERROR",
        message: `${path} declares no permission`,
      });
    }
    const access = await findOrgAccess(ctx.db, ctx.auth, input.orgSlug);
    if (!access) {
      throw new TRPCError({ code: "NOT_FOUND", message: `No org with slug "${input.orgSlug}"` });
    }
    if (!can(access.role, permission)) {
      throw new TRPCError({
        code: "FORBIDDEN",
        message: `Your role (${access.role}) may not ${permission}.`,
      });
    }
    const actor: OrgActor = {
      user: access.user,
      sessionId: access.session.id,
      org: access.org,
      role: access.role,
      membershipId: access.membershipId,
      info: {
        ip: ctx.info?.ip ?? null,
        userAgent: ctx.info?.userAgent ?? null,
        requestId: ctx.requestId,
      },
    };
    return next({ ctx: { ...ctx, actor } });
  });
