// The hot path of verification: the canonical body of an event built straight from its stored
// columns (no intermediate object, no generic key sort) and hashed with node's native SHA-256.
// It must produce exactly the bytes `computeAuditHash` hashes; audit-hash.test.ts proves it.

import { createHash } from "node:crypto";
import { canonicalJson } from "../audit.ts";

/** One stored event as the verifier reads it (text forms, as PostgreSQL can hand them out). */
export interface StoredEventText {
  id: string;
  seq: string;
  /** ISO-8601 with milliseconds and Z, as `Date#toISOString()` writes it. */
  occurredAt: string;
  actorType: string;
  actorId: string | null;
  actorName: string;
  action: string;
  targetType: string;
  targetId: string;
  targetName: string;
  /** The jsonb column as JSON text, or null. */
  changes: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  outcome: string;
  orgId: string;
}

const s = JSON.stringify;

/**
 * canonicalJson({ ...fields, prevHash }) with the keys in their sorted order, written by hand:
 * action, actorId, actorName, actorType, changes, ip, occurredAt, orgId, outcome, prevHash,
 * requestId, seq, targetId, targetName, targetType, userAgent.
 */
export function canonicalEventBody(e: StoredEventText, prevHashHex: string | null): string {
  const changes = e.changes === null ? "null" : canonicalJson(JSON.parse(e.changes));
  return (
    `{"action":${s(e.action)},"actorId":${e.actorId === null ? "null" : s(e.actorId)}` +
    `,"actorName":${s(e.actorName)},"actorType":${s(e.actorType)},"changes":${changes}` +
    `,"ip":${e.ip === null ? "null" : s(e.ip)},"occurredAt":${s(e.occurredAt)}` +
    `,"orgId":${s(e.orgId)},"outcome":${s(e.outcome)}` +
    `,"prevHash":${prevHashHex === null ? "null" : s(prevHashHex)}` +
    `,"requestId":${e.requestId === null ? "null" : s(e.requestId)},"seq":${s(e.seq)}` +
    `,"targetId":${s(e.targetId)},"targetName":${s(e.targetName)},"targetType":${s(e.targetType)}` +
    `,"userAgent":${e.userAgent === null ? "null" : s(e.userAgent)}}`
  );
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The event's hash (hex) given the previous event's hash (hex, null for the first). */
export function storedEventHashHex(e: StoredEventText, prevHashHex: string | null): string {
  return sha256Hex(canonicalEventBody(e, prevHashHex));
}

export interface DigestHashFields {
  orgId: string;
  hourStart: Date;
  lastSeq: bigint;
  lastHash: string | null;
  prevDigestHash: string | null;
}

/** SHA-256 (hex) of an hourly digest's canonical JSON. */
export function digestHashHex(d: DigestHashFields): string {
  return sha256Hex(canonicalJson(d));
}
