// The hot path of verification: the canonical body of an event built straight from its stored
// columns (no intermediate object, no generic key sort) and hashed with node's native SHA-256.
// It must produce exactly the bytes `computeAuditHash` hashes; audit-hash.test.ts proves it.

import { hash } from "node:crypto";
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

/** Printable ASCII without `"` and `\\`: JSON.stringify would only add the quotes. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const str = (v: string) => (PLAIN.test(v) ? `"${v}"` : JSON.stringify(v));
const strOrNull = (v: string | null) => (v === null ? "null" : str(v));

/**
 * canonicalJson({ ...fields, prevHash }) with the keys in their sorted order, written by hand:
 * action, actorId, actorName, actorType, changes, ip, occurredAt, orgId, outcome, prevHash,
 * requestId, seq, targetId, targetName, targetType, userAgent. One `join` builds the flat
 * string at once (no chain of concatenations to flatten before hashing).
 */
export function canonicalEventBody(e: StoredEventText, prevHashHex: string | null): string {
  const changes = e.changes === null ? "null" : canonicalJson(JSON.parse(e.changes));
  return [
    '{"action":',
    str(e.action),
    ',"actorId":',
    strOrNull(e.actorId),
    ',"actorName":',
    str(e.actorName),
    ',"actorType":',
    str(e.actorType),
    ',"changes":',
    changes,
    ',"ip":',
    strOrNull(e.ip),
    ',"occurredAt":',
    str(e.occurredAt),
    ',"orgId":',
    str(e.orgId),
    ',"outcome":',
    str(e.outcome),
    ',"prevHash":',
    strOrNull(prevHashHex),
    ',"requestId":',
    strOrNull(e.requestId),
    ',"seq":',
    str(e.seq),
    ',"targetId":',
    str(e.targetId),
    ',"targetName":',
    str(e.targetName),
    ',"targetType":',
    str(e.targetType),
    ',"userAgent":',
    strOrNull(e.userAgent),
    "}",
  ].join("");
}

/** One-shot SHA-256 (node's `crypto.hash`: no Hash object per event, ~2x createHash here). */
export function sha256Hex(text: string): string {
  return hash("sha256", text, "hex");
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
