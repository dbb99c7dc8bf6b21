// Who may do what in an org: the one role table every loader, action and tRPC procedure asks.
// Pure (no server imports), so pages can also hide buttons a role cannot use.

import type { Role } from "@slipway/db/enums";

export const ROLES = ["OWNER", "ADMIN", "MEMBER", "VIEWER"] as const satisfies readonly Role[];

/** Every permission-checked action, with the roles allowed to do it. */
export const PERMISSIONS = {
  "org.read": ["OWNER", "ADMIN", "MEMBER", "VIEWER"],
  "org.rename": ["OWNER", "ADMIN"],
  "member.read": ["OWNER", "ADMIN", "MEMBER", "VIEWER"],
  "member.invite": ["OWNER", "ADMIN"],
  "member.role.change": ["OWNER", "ADMIN"],
  "member.remove": ["OWNER", "ADMIN"],
  "token.read": ["OWNER", "ADMIN", "MEMBER"],
  "token.create": ["OWNER", "ADMIN", "MEMBER"],
  "token.revoke": ["OWNER", "ADMIN"],
  "project.create": ["OWNER", "ADMIN", "MEMBER"],
  "project.rename": ["OWNER", "ADMIN"],
  "project.delete": ["OWNER", "ADMIN"],
  "project.settings.update": ["OWNER", "ADMIN", "MEMBER"],
  "build.read": ["OWNER", "ADMIN", "MEMBER", "VIEWER"],
  "cache.reset": ["OWNER", "ADMIN"],
  "runner.read": ["OWNER", "ADMIN", "MEMBER", "VIEWER"],
  "webhook.manage": ["OWNER", "ADMIN"],
  "audit.read": ["OWNER", "ADMIN"],
  "billing.read": ["OWNER", "ADMIN"],
  "billing.manage": ["OWNER"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as Permission[];

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** Every permission of a role (for pages that show or hide several controls). */
export function permissionsOf(role: Role): Record<Permission, boolean> {
  return Object.fromEntries(PERMISSION_NAMES.map((p) => [p, can(role, p)])) as Record<
    Permission,
    boolean
  >;
}

/**
 * Role changes: an admin may hand out ADMIN, MEMBER and VIEWER and change anyone but an owner;
 * only an owner may make or unmake owners.
 */
export function canAssignRole(actor: Role, from: Role, to: Role): boolean {
  if (!can(actor, "member.role.change")) return false;
  if (actor === "OWNER") return true;
  return from !== "OWNER" && to !== "OWNER";
}

/** Removing someone else: owners anyone, admins anyone but owners. Leaving is always allowed. */
export function canRemoveMember(actor: Role, target: Role): boolean {
  if (!can(actor, "member.remove")) return false;
  return actor === "OWNER" || target !== "OWNER";
}

export const ROLE_LABELS: Record<Role, string> = {
  OWNER: "Owner",
  ADMIN: "Admin",
  MEMBER: "Member",
  VIEWER: "Viewer",
};
