import { encodeHexLowerCase } from "@oslojs/encoding";
import { describe, expect, it } from "vitest";
import { type AuditHashFields, computeAuditHash } from "../audit.ts";
import { storedEventHashHex } from "./hash.ts";
import { isoFromPgTimestamp } from "./verify.ts";

// The verifier's hand-written canonical form must hash exactly what recordAudit hashed.
describe("storedEventHashHex", () => {
  const base: AuditHashFields = {
    orgId: "org_1",
    seq: 42n,
    occurredAt: new Date("2031-02-03T04:05:06.789Z"),
    actorType: "TOKEN",
    actorId: null,
    actorName: 'CI "deploy" \u00e9\u{1F680}',
    action: "build.started",
    targetType: "build",
    targetId: "b_1",
    targetName: "#7",
    changes: { z: [1, 2.5, { b: null, a: "x" }], a: { from: "x\n", to: true } },
    ip: "203.0.113.7",
    userAgent: null,
    requestId: "r-1",
    outcome: "FAILURE",
  };
  const text = (f: AuditHashFields) => ({
    id: "e1",
    seq: f.seq.toString(),
    occurredAt: f.occurredAt.toISOString(),
    actorType: f.actorType,
    actorId: f.actorId,
    actorName: f.actorName,
    action: f.action,
    targetType: f.targetType,
    targetId: f.targetId,
    targetName: f.targetName,
    changes: f.changes === null ? null : JSON.stringify(f.changes, null, 1),
    ip: f.ip,
    userAgent: f.userAgent,
    requestId: f.requestId,
    outcome: f.outcome,
    orgId: f.orgId,
  });

  it.each([
    ["with every field", base, new Uint8Array(32).fill(7)],
    ["first event, nulls", { ...base, changes: null, ip: null, requestId: null }, null],
    ["with a user actor", { ...base, actorId: "u_1", userAgent: "Mozilla/5.0" }, null],
    [
      "with text JSON must escape",
      {
        ...base,
        actorName: 'back\\slash "q"',
        targetName: "ctl \u0000\u0001\t\n\r\u001f del \u007f",
        userAgent: "ls \u2028 ps \u2029 \ud800 lone",
        requestId: "",
      },
      null,
    ],
  ])("matches computeAuditHash %s", (_name, fields, prev) => {
    const expected = encodeHexLowerCase(computeAuditHash(fields, prev));
    expect(storedEventHashHex(text(fields), prev ? encodeHexLowerCase(prev) : null)).toBe(expected);
    // and differs as soon as one field does
    expect(
      storedEventHashHex(
        { ...text(fields), targetName: "other" },
        prev ? encodeHexLowerCase(prev) : null,
      ),
    ).not.toBe(expected);
  });
});

describe("isoFromPgTimestamp", () => {
  it.each([
    ["2031-02-03 04:05:06", "2031-02-03T04:05:06.000Z"],
    ["2031-02-03 04:05:06.1", "2031-02-03T04:05:06.100Z"],
    ["2031-02-03 04:05:06.12", "2031-02-03T04:05:06.120Z"],
    ["2031-02-03 04:05:06.123", "2031-02-03T04:05:06.123Z"],
  ])("%s is %s", (text, iso) => {
    expect(isoFromPgTimestamp(text)).toBe(iso);
    expect(new Date(iso).toISOString()).toBe(iso);
  });
});
