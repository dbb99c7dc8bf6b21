import { Outlet } from "react-router";
import { getDb } from "../../src/db.server";
import { getOrgShell } from "../../src/presenters/orgs.server";
import { isSlug } from "../../src/presenters/params";
import { AppShell } from "../components/app-shell";
import { notFound } from "../lib/errors";
import type { Route } from "./+types/org-layout";

export async function loader({ params }: Route.LoaderArgs) {
  const shell = isSlug(params.orgSlug) ? await getOrgShell(getDb(), params.orgSlug) : null;
  if (!shell) {
    throw notFound({
      title: "Organization not found",
      message: `There is no organization “${params.orgSlug}”. It may have been renamed, or the link may be mistyped.`,
    });
  }
  return shell;
}

export default function OrgLayout({ loaderData }: Route.ComponentProps) {
  return (
    <AppShell shell={loaderData}>
      <Outlet />
    </AppShell>
  );
}
