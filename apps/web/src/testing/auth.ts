import { createSession, type Role, validateSessionToken } from "@slipway/db";
import { addMember, createOrg, createUser } from "@slipway/db/testing";
import type { RequestInfo } from "../auth/request-info.server";
import type { Auth } from "../auth/session.server";
import type { Db } from "../db.server";
import type { OrgActor } from "../services/actor";
import { createCaller } from "../trpc/router";

export const TEST_INFO: RequestInfo = { ip: "203.0.113.7", userAgent: "vitest", requestId: "test" };

/** A user with a live session, as the auth guards see it. */
export async function signedInUser(
  db: Db,
  input: { email?: string; name?: string } = {},
): Promise<Auth> {
  const user = await createUser(db, input);
  const { token } = await createSession(db, user.id);
  const auth = await validateSessionToken(db, token);
  if (!auth) throw new Error("session did not validate");
  return auth;
}

/** An org with one signed-in user per role. */
export async function orgWithRoles(db: Db, slug?: string) {
  const org = await createOrg(db, slug ? { slug, name: slug } : {});
  const users = {} as Record<Role, Auth>;
  const memberships = {} as Record<Role, string>;
  for (const role of ["OWNER", "ADMIN", "MEMBER", "VIEWER"] as const) {
    users[role] = await signedInUser(db);
    memberships[role] = (await addMember(db, org.id, users[role].user.id, role)).id;
  }
  return { org, users, memberships };
}

export function callerFor(db: Db, auth: Auth | null) {
  return createCaller({
    db,
    requestId: "test",
    auth,
    info: { ip: TEST_INFO.ip, userAgent: TEST_INFO.userAgent },
  });
}

export function actorFor(
  auth: Auth,
  org: { id: string; slug: string; name: string },
  role: Role,
  membershipId: string,
): OrgActor {
  return { user: auth.user, sessionId: auth.session.id, org, role, membershipId, info: TEST_INFO };
}
