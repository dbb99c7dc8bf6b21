// The signed-in user of a request, and the guards every loader and action starts with:
//   requireUser(request)                      → the session, or a redirect to /signin
//   requireOrgAccess(request, slug, permission) → the membership; 404 for non-members (an org
//                                                 one cannot see does not exist), 403 without
//                                                 the permission (see permissions.ts)

import { type Role, type Session, type SessionUser, validateSessionToken } from "@slipway/db";
import { data, redirect } from "react-router";
import { type Db, getDb } from "../db.server";
import { isSlug } from "../presenters/params";
import { clearedSessionCookie, readSessionToken } from "./cookies";
import { can, PERMISSIONS, type Permission, ROLE_LABELS } from "./permissions";

export interface Auth {
  user: SessionUser;
  session: Session;
}

export interface OrgAccess extends Auth {
  org: { id: string; slug: string; name: string };
  role: Role;
  membershipId: string;
}

const cache = new WeakMap<Request, Promise<Auth | null>>();

/** The request's valid session, or null. Validated once per request. */
export function getAuth(request: Request, db: Db = getDb()): Promise<Auth | null> {
  let pending = cache.get(request);
  if (!pending) {
    const token = readSessionToken(request.headers.get("cookie"));
    pending = token ? validateSessionToken(db, token) : Promise.resolve(null);
    cache.set(request, pending);
  }
  return pending;
}

/** Only same-site paths: never `//host` or a full URL (no open redirect). */
export function safeNext(value: string | null | undefined, fallback = "/"): string {
  if (!value?.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) {
    return fallback;
  }
  return value;
}

/** Where the user was going, for `?next=` (without React Router's `.data` suffix). */
export function currentPath(request: Request): string {
  const url = new URL(request.url);
  url.searchParams.delete("_routes");
  const path = url.pathname.replace(/\.data$/, "").replace(/^\/_root$/, "/") || "/";
  const search = url.searchParams.toString();
  return search ? `${path}?${search}` : path;
}

export async function requireUser(request: Request, db: Db = getDb()): Promise<Auth> {
  const auth = await getAuth(request, db);
  if (auth) return auth;
  const next = currentPath(request);
  const target = next === "/" ? "/signin" : `/signin?next=${encodeURIComponent(next)}`;
  // A cookie that no longer names a session is removed on the way.
  const headers = readSessionToken(request.headers.get("cookie"))
    ? { "Set-Cookie": clearedSessionCookie() }
    : undefined;
  throw redirect(target, { headers });
}

export function orgNotFound(orgSlug: string | undefined) {
  return data(
    {
      title: "Organization not found",
      message: `There is no organization “${orgSlug ?? ""}” that you belong to. It may have been renamed, or the link may be mistyped.`,
      back: { href: "/", label: "Go to your dashboard" },
    },
    { status: 404 },
  );
}

export function forbidden(permission: Permission, role: Role, orgSlug: string) {
  const allowed = (PERMISSIONS[permission] as readonly Role[]).map((r) => ROLE_LABELS[r]);
  return data(
    {
      title: "Not allowed",
      message: `Your role here is ${ROLE_LABELS[role]}. This needs one of: ${allowed.join(", ")}. Ask an owner or admin of the organization.`,
      back: { href: `/orgs/${orgSlug}`, label: "Back to the overview" },
    },
    { status: 403 },
  );
}

/** The caller's membership of the org; throws 404 when they are not a member, 403 without `permission`. */
export async function requireOrgAccess(
  request: Request,
  orgSlug: string | undefined,
  permission: Permission,
  db: Db = getDb(),
): Promise<OrgAccess> {
  const auth = await requireUser(request, db);
  const access = isSlug(orgSlug) ? await findOrgAccess(db, auth, orgSlug) : null;
  if (!access) throw orgNotFound(orgSlug);
  if (!can(access.role, permission)) throw forbidden(permission, access.role, access.org.slug);
  return access;
}

export async function findOrgAccess(
  db: Db,
  auth: Auth,
  orgSlug: string,
): Promise<OrgAccess | null> {
  const membership = await db.membership.findFirst({
    where: { userId: auth.user.id, org: { slug: orgSlug } },
    select: { id: true, role: true, org: { select: { id: true, slug: true, name: true } } },
  });
  if (!membership) return null;
  return { ...auth, org: membership.org, role: membership.role, membershipId: membership.id };
}
