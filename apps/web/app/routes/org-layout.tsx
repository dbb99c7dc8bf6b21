import { Outlet } from "react-router";
import { permissionsOf } from "../../src/auth/permissions";
import { orgNotFound, requireOrgAccess } from "../../src/auth/session.server";
import { getDb } from "../../src/db.server";
import { getOrgShell } from "../../src/presenters/orgs.server";
import { AppShell } from "../components/app-shell";
import type { Route } from "./+types/org-layout";

export async function loader({ request, params }: Route.LoaderArgs) {
  // Non-members get the same 404 as a missing org.
  const access = await requireOrgAccess(request, params.orgSlug, "org.read");
  const shell = await getOrgShell(getDb(), access.org.slug, access.user.id);
  if (!shell) throw orgNotFound(params.orgSlug);
  return {
    ...shell,
    user: { name: access.user.name, email: access.user.email },
    role: access.role,
    can: permissionsOf(access.role),
  };
}

export default function OrgLayout({ loaderData }: Route.ComponentProps) {
  return (
    <AppShell shell={loaderData}>
      <Outlet />
    </AppShell>
  );
}
