// The org's GitHub webhook secret (Org.githubWebhookSecret). Ingest verifies each delivery's
// X-Hub-Signature-256 as an HMAC keyed with this secret, so it is stored as is, not hashed (a hash
// could not key the HMAC). It is shown once, when generated; pages only say whether one is set.

import { randomBytes } from "node:crypto";
import { AUDIT_ACTIONS, recordAudit } from "@slipway/db";
import { can } from "../auth/permissions";
import type { Db } from "../db.server";
import { type OrgActor, userActor } from "./actor";
import { ServiceError } from "./errors";

/** 256 random bits, hex: GitHub accepts any string; hex survives copy and paste. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("hex")}`;
}

export async function webhookSecretConfigured(db: Db, orgId: string): Promise<boolean> {
  const org = await db.org.findUnique({
    where: { id: orgId },
    select: { githubWebhookSecret: true },
  });
  return Boolean(org?.githubWebhookSecret);
}

/** A new secret replaces the old one at once: deliveries signed with the old one answer 401. */
export async function rotateWebhookSecret(
  db: Db,
  actor: OrgActor,
): Promise<{ secret: string; replaced: boolean }> {
  if (!can(actor.role, "webhook.manage"))
    throw new ServiceError(
      "FORBIDDEN",
      "Only owners and admins can set the GitHub webhook secret.",
    );
  const secret = generateWebhookSecret();
  return db.$transaction(async (tx) => {
    const before = await tx.org.findUniqueOrThrow({
      where: { id: actor.org.id },
      select: { githubWebhookSecret: true },
    });
    await tx.org.update({ where: { id: actor.org.id }, data: { githubWebhookSecret: secret } });
    const replaced = Boolean(before.githubWebhookSecret);
    await recordAudit(tx, {
      orgId: actor.org.id,
      actor: userActor(actor.user),
      action: AUDIT_ACTIONS.webhookSecretRotated,
      target: { type: "org", id: actor.org.id, name: actor.org.name },
      // Never the secret itself: only that one was set or replaced.
      changes: { githubWebhookSecret: { from: replaced ? "set" : null, to: "set" } },
      ...actor.info,
    });
    return { secret, replaced };
  });
}
