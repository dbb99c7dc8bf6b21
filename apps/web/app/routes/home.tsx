import { redirect } from "react-router";
import { getDb } from "../../src/db.server";
import { firstOrgSlug } from "../../src/presenters/orgs.server";
import type { Route } from "./+types/home";

export const meta: Route.MetaFunction = () => [{ title: "Slipway" }];

export async function loader() {
  const slug = await firstOrgSlug(getDb());
  if (slug) throw redirect(`/orgs/${slug}`);
  return null;
}

export default function Home() {
  return (
    <main className="standalone">
      <section className="empty-state empty-state--page">
        <img src="/favicon.svg" alt="" width={40} height={40} />
        <h1>No organizations yet</h1>
        <p>
          Slipway is running, but its database has no organization to show. Load the demo data with{" "}
          <code>npm run seed</code> from the repository root, then reload this page.
        </p>
      </section>
    </main>
  );
}
