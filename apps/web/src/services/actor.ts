import type { AuditActor, Role, SessionUser } from "@slipway/db";
import type { RequestInfo } from "../auth/request-info.server";

/** A signed-in user acting in an org (after requireOrgAccess / orgProcedure). */
export interface OrgActor {
  user: SessionUser;
  sessionId?: string;
  org: { id: string; slug: string; name: string };
  role: Role;
  membershipId: string;
  info: RequestInfo;
}

export function userActor(user: Pick<SessionUser, "id" | "name" | "email">): AuditActor {
  return { type: "USER", id: user.id, name: user.name || user.email };
}
