import { redirect } from "react-router";
import { requireUser } from "../../src/auth/session.server";
import { getDb } from "../../src/db.server";
import { firstOrgSlugOf } from "../../src/services/orgs.server";
import type { Route } from "./+types/home";

/** `/`: the user's first org, or the page that creates one. */
export async function loader({ request }: Route.LoaderArgs) {
  const { user } = await requireUser(request);
  const slug = await firstOrgSlugOf(getDb(), user.id);
  throw redirect(slug ? `/orgs/${slug}` : "/orgs/new");
}
