import { Form, Link, redirect, useNavigation } from "react-router";
import { requestInfo } from "../../src/auth/request-info.server";
import { requireUser } from "../../src/auth/session.server";
import { getDb } from "../../src/db.server";
import { fieldsOf } from "../../src/services/errors";
import { createOrg, listUserOrgs } from "../../src/services/orgs.server";
import { AuthCard, Field, FormError, type FormState } from "../components/forms";
import { formFailure } from "../lib/action.server";
import type { Route } from "./+types/org-new";

export const meta: Route.MetaFunction = () => [{ title: "New organization · Slipway" }];

export async function loader({ request }: Route.LoaderArgs) {
  const { user } = await requireUser(request);
  const orgs = await listUserOrgs(getDb(), user.id);
  return { first: orgs.length === 0, back: orgs[0]?.slug ?? null, name: user.name };
}

export async function action({ request }: Route.ActionArgs) {
  const { user } = await requireUser(request);
  const { name, slug } = fieldsOf(await request.formData(), ["name", "slug"]);
  try {
    const org = await createOrg(getDb(), user, { name, slug }, requestInfo(request));
    return redirect(`/orgs/${org.slug}`);
  } catch (error) {
    return formFailure(error, { name, slug });
  }
}

export default function NewOrg({ loaderData, actionData }: Route.ComponentProps) {
  const state = actionData as FormState | undefined;
  const busy = useNavigation().state === "submitting";
  return (
    <AuthCard
      title={loaderData.first ? "Create your first organization" : "Create an organization"}
      subtitle={
        loaderData.first
          ? `Welcome, ${loaderData.name}. Projects, builds, members and API tokens belong to an organization. You will be its owner.`
          : "You will be its owner and can invite others."
      }
    >
      <Form method="post" className="form" noValidate>
        <FormError message={state?.formError} />
        <Field
          label="Name"
          name="name"
          required
          maxLength={80}
          placeholder="Acme Robotics"
          defaultValue={state?.values?.name}
          error={state?.errors?.name}
        />
        <Field
          label="Address (optional)"
          name="slug"
          maxLength={63}
          placeholder="acme-robotics"
          hint="Lower-case letters, digits and dashes; used in links. Left empty: made from the name."
          defaultValue={state?.values?.slug}
          error={state?.errors?.slug}
        />
        <button type="submit" className="button button--block" disabled={busy}>
          {busy ? "Creating…" : "Create organization"}
        </button>
      </Form>
      <p className="auth__switch">
        {loaderData.back ? (
          <Link to={`/orgs/${loaderData.back}`}>Back to the dashboard</Link>
        ) : null}
        {loaderData.back ? " · " : null}
        <Form method="post" action="/signout" className="inline-form">
          <button type="submit" className="link-button">
            Sign out
          </button>
        </Form>
      </p>
    </AuthCard>
  );
}
