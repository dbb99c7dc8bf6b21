import type { RequestInfo } from "../../src/auth/request-info.server";
import type { OrgAccess } from "../../src/auth/session.server";
import type { OrgActor } from "../../src/services/actor";

export function actorOf(access: OrgAccess, info: RequestInfo): OrgActor {
  return {
    user: access.user,
    sessionId: access.session.id,
    org: access.org,
    role: access.role,
    membershipId: access.membershipId,
    info,
  };
}
