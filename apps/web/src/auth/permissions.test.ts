import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  can,
  canAssignRole,
  canRemoveMember,
  PERMISSION_NAMES,
  PERMISSIONS,
  ROLES,
} from "./permissions";

describe("the role table", () => {
  it("has the expected matrix", () => {
    const matrix = Object.fromEntries(
      PERMISSION_NAMES.map((p) => [p, ROLES.filter((r) => can(r, p)).join(",")]),
    );
    expect(matrix).toEqual({
      "org.read": "OWNER,ADMIN,MEMBER,VIEWER",
      "org.rename": "OWNER,ADMIN",
      "member.read": "OWNER,ADMIN,MEMBER,VIEWER",
      "member.invite": "OWNER,ADMIN",
      "member.role.change": "OWNER,ADMIN",
      "member.remove": "OWNER,ADMIN",
      "token.read": "OWNER,ADMIN,MEMBER",
      "token.create": "OWNER,ADMIN,MEMBER",
      "token.revoke": "OWNER,ADMIN",
      "project.create": "OWNER,ADMIN,MEMBER",
      "project.rename": "OWNER,ADMIN",
      "project.delete": "OWNER,ADMIN",
      "project.settings.update": "OWNER,ADMIN,MEMBER",
      "build.read": "OWNER,ADMIN,MEMBER,VIEWER",
      "cache.reset": "OWNER,ADMIN",
      "runner.read": "OWNER,ADMIN,MEMBER,VIEWER",
      "webhook.manage": "OWNER,ADMIN",
      "audit.read": "OWNER,ADMIN",
      "billing.read": "OWNER,ADMIN",
      "billing.manage": "OWNER",
    });
  });

  it("gives owners everything and viewers nothing that writes", () => {
    for (const p of PERMISSION_NAMES) expect(can("OWNER", p)).toBe(true);
    const viewer = PERMISSION_NAMES.filter((p) => can("VIEWER", p));
    expect(viewer.every((p) => p.endsWith(".read"))).toBe(true);
    expect(can("VIEWER", "token.create")).toBe(false);
  });

  it("lists only known roles", () => {
    for (const roles of Object.values(PERMISSIONS)) {
      for (const r of roles) expect(ROLES).toContain(r);
    }
  });

  it("keeps ownership changes to owners", () => {
    expect(canAssignRole("OWNER", "MEMBER", "OWNER")).toBe(true);
    expect(canAssignRole("OWNER", "OWNER", "ADMIN")).toBe(true);
    expect(canAssignRole("ADMIN", "MEMBER", "ADMIN")).toBe(true);
    expect(canAssignRole("ADMIN", "MEMBER", "OWNER")).toBe(false);
    expect(canAssignRole("ADMIN", "OWNER", "MEMBER")).toBe(false);
    expect(canAssignRole("MEMBER", "VIEWER", "MEMBER")).toBe(false);
    expect(canRemoveMember("ADMIN", "OWNER")).toBe(false);
    expect(canRemoveMember("ADMIN", "MEMBER")).toBe(true);
    expect(canRemoveMember("OWNER", "OWNER")).toBe(true);
    expect(canRemoveMember("VIEWER", "VIEWER")).toBe(false);
  });
});

describe("the README's role table", () => {
  it("lists every permission with exactly the roles of the code", () => {
    const readme = readFileSync(new URL("../../../../README.md", import.meta.url), "utf8");
    const section = readme.split("## Roles and permissions")[1]?.split("\n## ")[0] ?? "";
    const rows = section
      .split("\n")
      .map((line) => /^\| `([a-z.]+)` \|[^|]*\|(.*)\|$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => {
        const marks = (m[2] ?? "").split("|").map((cell) => cell.trim() === "✓");
        return [m[1], ROLES.filter((_, i) => marks[i]).join(",")];
      });
    const code = PERMISSION_NAMES.map((p) => [p, ROLES.filter((r) => can(r, p)).join(",")]);
    expect(rows).toEqual(code);
  });
});
