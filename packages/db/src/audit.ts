// The audit log: an append-only hash chain per org. Every mutation calls `recordAudit` INSIDE the
// transaction that makes the change, so an event exists exactly when the change committed.
//
//   hash = SHA-256( canonicalJson({ ...event fields, prevHash: hex | null }) )
//
// `allocateAuditSeq` row-locks the org, so concurrent appends to one org are serialised and each
// reads the hash of the event just before it.

import { sha256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";
import type { ActorType, AuditEvent, AuditOutcome, Prisma } from "./generated/prisma/client.ts";
import { allocateAuditSeq, type DbTx } from "./index.ts";

/** Every action the audit log knows. Dotted: `<resource>.<verb>` (past tense). */
export const AUDIT_ACTIONS = {
  orgCreated: "org.created",
  orgRenamed: "org.renamed",
  memberInvited: "member.invited",
  memberJoined: "member.joined",
  memberRoleChanged: "member.role_changed",
  memberRemoved: "member.removed",
  tokenCreated: "token.created",
  tokenRevoked: "token.revoked",
  sessionRevoked: "session.revoked",
  passwordChanged: "auth.password_changed",
  signinSucceeded: "auth.signin.succeeded",
  signinFailed: "auth.signin.failed",
  signout: "auth.signout",
  projectCreated: "project.created",
  projectRenamed: "project.renamed",
  projectDeleted: "project.deleted",
  projectSettingsUpdated: "project.settings.updated",
  cacheReset: "cache.reset",
  buildStarted: "build.started",
  buildCancelled: "build.cancelled",
  webhookSecretRotated: "webhook.secret_rotated",
  planChanged: "billing.plan_changed",
  spendLimitUpdated: "billing.spend_limit_updated",
  invoiceFinalized: "billing.invoice_finalized",
  auditRetentionPurged: "audit.retention_purged",
} as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[keyof typeof AUDIT_ACTIONS];

export const AUDIT_ACTION_NAMES: readonly AuditAction[] = Object.values(AUDIT_ACTIONS);

export interface AuditActor {
  type: ActorType;
  id: string | null;
  name: string;
}

export interface AuditTarget {
  type: string;
  id: string;
  name: string;
}

/** Where a request came from; every field optional (SYSTEM events have none). */
export interface AuditRequestInfo {
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
}

export interface AuditInput extends AuditRequestInfo {
  orgId: string;
  actor: AuditActor;
  action: AuditAction;
  target: AuditTarget;
  /** `{ field: { from, to } }` for updates. */
  changes?: Record<string, unknown> | null;
  outcome?: AuditOutcome;
  occurredAt?: Date;
}

/** The fields that the hash covers, in their stored form. */
export interface AuditHashFields {
  orgId: string;
  seq: bigint;
  occurredAt: Date;
  actorType: string;
  actorId: string | null;
  actorName: string;
  action: string;
  targetType: string;
  targetId: string;
  targetName: string;
  changes: unknown;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  outcome: string;
}

/**
 * Deterministic JSON: object keys sorted (by UTF-16 code units), no whitespace, Dates as ISO-8601,
 * bigints and byte arrays as strings (decimal, hex), undefined object members left out.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return JSON.stringify(value.toString());
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (value instanceof Uint8Array) return JSON.stringify(encodeHexLowerCase(value));
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i === 0 ? "" : ",") + canonicalJson(value[i]);
    return `${out}]`;
  }
  if (typeof value === "object") {
    const record = value as Record<string, unknown>;
    // Array#sort without a comparator orders strings by UTF-16 code units, like `<` does.
    const keys = Object.keys(record).sort();
    let out = "{";
    for (const key of keys) {
      const v = record[key];
      if (v === undefined) continue;
      out += `${out.length === 1 ? "" : ","}${JSON.stringify(key)}:${canonicalJson(v)}`;
    }
    return `${out}}`;
  }
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new Error("canonicalJson: non-finite numbers have no JSON form");
  }
  return JSON.stringify(value);
}

/** SHA-256 of the canonical event fields plus the previous event's hash (null for the first). */
export function computeAuditHash(
  fields: AuditHashFields,
  prevHash: Uint8Array | null,
): Uint8Array<ArrayBuffer> {
  const body = canonicalJson({
    ...fields,
    prevHash: prevHash ? encodeHexLowerCase(prevHash) : null,
  });
  return new Uint8Array(sha256(new TextEncoder().encode(body)));
}

/** The hashed fields of a stored event (drops everything else the row holds). */
export function hashFieldsOf(event: AuditHashFields): AuditHashFields {
  return {
    orgId: event.orgId,
    seq: event.seq,
    occurredAt: event.occurredAt,
    actorType: event.actorType,
    actorId: event.actorId,
    actorName: event.actorName,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId,
    targetName: event.targetName,
    changes: event.changes ?? null,
    ip: event.ip,
    userAgent: event.userAgent,
    requestId: event.requestId,
    outcome: event.outcome,
  };
}

/**
 * Appends one event to the org's chain. Call it with the transaction client of the change it
 * records (`db.$transaction(async (tx) => { ...change...; await recordAudit(tx, {...}) })`).
 */
export async function recordAudit(tx: DbTx, input: AuditInput): Promise<AuditEvent> {
  const seq = await allocateAuditSeq(tx, input.orgId);
  const previous =
    seq > 1n
      ? await tx.auditEvent.findUnique({
          where: { orgId_seq: { orgId: input.orgId, seq: seq - 1n } },
          select: { hash: true },
        })
      : null;
  const prevHash = previous ? new Uint8Array(previous.hash) : null;
  // JSON round trip: what PostgreSQL's jsonb gives back is what the hash must cover.
  const changes =
    input.changes === undefined || input.changes === null
      ? null
      : (JSON.parse(JSON.stringify(input.changes)) as Record<string, unknown>);
  const fields: AuditHashFields = {
    orgId: input.orgId,
    seq,
    // Millisecond precision, as stored.
    occurredAt: new Date((input.occurredAt ?? new Date()).getTime()),
    actorType: input.actor.type,
    actorId: input.actor.id,
    actorName: input.actor.name,
    action: input.action,
    targetType: input.target.type,
    targetId: input.target.id,
    targetName: input.target.name,
    changes,
    ip: input.ip?.slice(0, 64) ?? null,
    userAgent: input.userAgent?.slice(0, 512) ?? null,
    requestId: input.requestId ?? null,
    outcome: input.outcome ?? "SUCCESS",
  };
  const hash = computeAuditHash(fields, prevHash);
  return tx.auditEvent.create({
    data: {
      ...fields,
      actorType: fields.actorType as ActorType,
      outcome: fields.outcome as AuditOutcome,
      changes: (changes ?? undefined) as Prisma.InputJsonValue | undefined,
      hash: new Uint8Array(hash),
      prevHash: prevHash ? new Uint8Array(prevHash) : null,
    },
  });
}

// Verification (events and hourly digests), digests, retention and queries: ./audit/.
