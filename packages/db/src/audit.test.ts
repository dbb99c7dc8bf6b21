import { encodeHexLowerCase } from "@oslojs/encoding";
import { describe, expect, it } from "vitest";
import {
  AUDIT_ACTION_NAMES,
  type AuditHashFields,
  canonicalJson,
  computeAuditHash,
} from "./audit.ts";

const fields: AuditHashFields = {
  orgId: "org_1",
  seq: 1n,
  occurredAt: new Date("2030-01-01T00:00:00.000Z"),
  actorType: "USER",
  actorId: "user_1",
  actorName: "Ada",
  action: "org.renamed",
  targetType: "org",
  targetId: "org_1",
  targetName: "Acme",
  changes: { name: { from: "A", to: "Acme" } },
  ip: null,
  userAgent: "test",
  requestId: "req-1",
  outcome: "SUCCESS",
};

describe("canonicalJson", () => {
  it("sorts keys recursively and has no whitespace", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it("encodes dates, bigints and bytes as strings and drops undefined members", () => {
    expect(
      canonicalJson({
        at: new Date("2030-01-01T00:00:00Z"),
        n: 12345678901234567890n,
        h: new Uint8Array([1, 255]),
        u: undefined,
      }),
    ).toBe('{"at":"2030-01-01T00:00:00.000Z","h":"01ff","n":"12345678901234567890"}');
    expect(canonicalJson('é\n"')).toBe(JSON.stringify('é\n"'));
    expect(() => canonicalJson(Number.NaN)).toThrow();
  });

  it("does not depend on key insertion order", () => {
    const reversed = Object.fromEntries(
      Object.entries(fields).reverse(),
    ) as unknown as AuditHashFields;
    expect(canonicalJson(reversed)).toBe(canonicalJson(fields));
  });
});

describe("computeAuditHash", () => {
  it("is SHA-256 of the canonical fields with prevHash (hex or null)", async () => {
    const { createHash } = await import("node:crypto");
    const expected = createHash("sha256")
      .update(canonicalJson({ ...fields, prevHash: null }))
      .digest("hex");
    expect(encodeHexLowerCase(computeAuditHash(fields, null))).toBe(expected);
  });

  it("changes with any field and with the previous hash", () => {
    const base = encodeHexLowerCase(computeAuditHash(fields, null));
    expect(encodeHexLowerCase(computeAuditHash({ ...fields, targetName: "Acme!" }, null))).not.toBe(
      base,
    );
    expect(encodeHexLowerCase(computeAuditHash({ ...fields, seq: 2n }, null))).not.toBe(base);
    expect(encodeHexLowerCase(computeAuditHash(fields, new Uint8Array(32)))).not.toBe(base);
  });

  it("has a catalogue of dotted action names", () => {
    for (const action of AUDIT_ACTION_NAMES) expect(action).toMatch(/^[a-z_]+(\.[a-z_]+)+$/);
    expect(AUDIT_ACTION_NAMES).toContain("auth.signin.failed");
    expect(new Set(AUDIT_ACTION_NAMES).size).toBe(AUDIT_ACTION_NAMES.length);
  });
});
