import { AUDIT_ACTION_NAMES, type Db } from "@slipway/db";

/** The action catalogue, for the action filter. */
export const AUDIT_ACTIONS_LIST: string[] = [...AUDIT_ACTION_NAMES].sort();

export interface AuditActorChoice {
  id: string;
  label: string;
}

/** Choices for the actor filter: the org's members, its tokens, and background jobs. */
export async function auditActorChoices(db: Db, orgId: string): Promise<AuditActorChoice[]> {
  const [members, tokens] = await Promise.all([
    db.membership.findMany({
      where: { orgId },
      select: { user: { select: { id: true, name: true, email: true } } },
      orderBy: { createdAt: "asc" },
      take: 500,
    }),
    db.apiToken.findMany({
      where: { orgId },
      select: { id: true, name: true, prefix: true },
      orderBy: { createdAt: "desc" },
      take: 500,
    }),
  ]);
  return [
    ...members.map((m) => ({ id: m.user.id, label: `${m.user.name || m.user.email}` })),
    ...tokens.map((t) => ({ id: t.id, label: `Token: ${t.name} (${t.prefix}…)` })),
    { id: "system", label: "System jobs" },
  ];
}
