import { Form, redirect, useNavigation } from "react-router";
import { can, ROLE_LABELS } from "../../src/auth/permissions";
import { requestInfo } from "../../src/auth/request-info.server";
import { requireOrgAccess } from "../../src/auth/session.server";
import { getDb } from "../../src/db.server";
import { fieldsOf } from "../../src/services/errors";
import { removeMember } from "../../src/services/members.server";
import { renameOrg } from "../../src/services/orgs.server";
import { Breadcrumb } from "../components/breadcrumb";
import { Field, FormError, type FormState, Notice } from "../components/forms";
import { formFailure } from "../lib/action.server";
import { actorOf } from "../lib/org-action.server";
import type { Route } from "./+types/settings";

export const meta: Route.MetaFunction = () => [{ title: "Settings · Slipway" }];

export async function loader({ request, params }: Route.LoaderArgs) {
  const access = await requireOrgAccess(request, params.orgSlug, "org.read");
  return { org: access.org, role: access.role, canRename: can(access.role, "org.rename") };
}

type ActionData = FormState & { intent?: string; notice?: string };

export async function action({ request, params }: Route.ActionArgs) {
  const { intent, name } = fieldsOf(await request.formData(), ["intent", "name"]);
  const info = requestInfo(request);
  try {
    if (intent === "rename") {
      const access = await requireOrgAccess(request, params.orgSlug, "org.rename");
      const renamed = await renameOrg(getDb(), actorOf(access, info), { name });
      const result: ActionData = { intent, notice: `Renamed to ${renamed.name}.` };
      return result;
    }
    if (intent === "leave") {
      const access = await requireOrgAccess(request, params.orgSlug, "org.read");
      await removeMember(getDb(), actorOf(access, info), { membershipId: access.membershipId });
      return redirect("/");
    }
    const result: ActionData = { formError: "Unknown action. Reload the page and try again." };
    return result;
  } catch (error) {
    return formFailure(error, { name }, { intent });
  }
}

export default function Settings({ loaderData, actionData }: Route.ComponentProps) {
  const { org, role, canRename } = loaderData;
  const result = actionData as ActionData | undefined;
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <header className="page-header">
        <div>
          <Breadcrumb trail={[{ label: org.name }]} />
          <h1 className="page-title">Settings</h1>
        </div>
      </header>
      {result?.notice ? <Notice>{result.notice}</Notice> : null}
      <section className="card panel" aria-labelledby="rename-title">
        <h2 id="rename-title" className="section-title">
          Name
        </h2>
        {canRename ? (
          <Form method="post" className="form form--narrow">
            <input type="hidden" name="intent" value="rename" />
            {result?.intent === "rename" ? <FormError message={result.formError} /> : null}
            <Field
              label="Organization name"
              name="name"
              required
              maxLength={80}
              defaultValue={org.name}
              key={org.name}
              error={result?.intent === "rename" ? result.errors?.name : undefined}
              hint={
                <>
                  The address stays <code>/orgs/{org.slug}</code>.
                </>
              }
            />
            <button type="submit" className="button" disabled={busy}>
              Rename
            </button>
          </Form>
        ) : (
          <p className="muted">
            {org.name} (<code>{org.slug}</code>). Only owners and admins can rename it; you are{" "}
            {ROLE_LABELS[role]}.
          </p>
        )}
      </section>
      <section className="card panel" aria-labelledby="leave-title">
        <h2 id="leave-title" className="section-title">
          Leave {org.name}
        </h2>
        <p className="muted">
          You lose access to its projects and builds until someone invites you again.
        </p>
        {result?.intent === "leave" ? <FormError message={result.formError} /> : null}
        <Form method="post">
          <input type="hidden" name="intent" value="leave" />
          <button type="submit" className="button button--danger">
            Leave organization
          </button>
        </Form>
      </section>
    </>
  );
}
