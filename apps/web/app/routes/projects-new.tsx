import { useState } from "react";
import { Form, redirect, useNavigation } from "react-router";
import { ROLE_LABELS } from "../../src/auth/permissions";
import { requestInfo } from "../../src/auth/request-info.server";
import { requireOrgAccess } from "../../src/auth/session.server";
import { getDb } from "../../src/db.server";
import { fieldsOf } from "../../src/services/errors";
import { createProject, FieldErrors } from "../../src/services/projects.server";
import { ErrorPage } from "../components/error-page";
import { Field, FormError, type FormState } from "../components/forms";
import { formFailure } from "../lib/action.server";
import { actorOf } from "../lib/org-action.server";
import type { Route } from "./+types/projects-new";
import "./project-pages.css";
import { Breadcrumb } from "../components/breadcrumb";

export const meta: Route.MetaFunction = () => [{ title: "New project · Slipway" }];

export async function loader({ request, params }: Route.LoaderArgs) {
  // The page itself is for those who may create; others get the 403 page naming the roles.
  const access = await requireOrgAccess(request, params.orgSlug, "project.create");
  return { org: access.org, role: access.role };
}

export async function action({ request, params }: Route.ActionArgs) {
  const { name, slug } = fieldsOf(await request.formData(), ["name", "slug"]);
  try {
    const access = await requireOrgAccess(request, params.orgSlug, "project.create");
    const project = await createProject(getDb(), actorOf(access, requestInfo(request)), {
      name,
      slug,
    });
    return redirect(`/orgs/${access.org.slug}/projects/${project.slug}/settings?created=1`);
  } catch (error) {
    // Several fields can be wrong at once; formFailure places the first, allErrors has them all.
    if (error instanceof FieldErrors) {
      return formFailure(error, { name, slug }, { allErrors: error.fields });
    }
    return formFailure(error, { name, slug });
  }
}

// Same rule as the server's slugify (src/services/orgs.server.ts), for the preview only.
function previewSlug(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
}

export default function NewProject({ loaderData, actionData }: Route.ComponentProps) {
  const { org, role } = loaderData;
  const result = actionData as (FormState & { allErrors?: Record<string, string> }) | undefined;
  const errors = { ...result?.errors, ...result?.allErrors };
  const busy = useNavigation().state === "submitting";
  const [name, setName] = useState(result?.values?.name ?? "");
  const [slug, setSlug] = useState(result?.values?.slug ?? "");
  const derived = slug.trim() || previewSlug(name);
  return (
    <>
      <header className="page-header">
        <div>
          <Breadcrumb
            trail={[{ label: org.name, to: `/orgs/${org.slug}` }, { label: "Projects" }]}
          />
          <h1 className="page-title">New project</h1>
        </div>
      </header>
      <p className="muted page-intro">
        A project has its own builders, layer cache and settings. Builds name it with{" "}
        <code>--project</code>; you are {ROLE_LABELS[role]}.
      </p>
      <section className="card panel" aria-labelledby="new-project-title">
        <h2 id="new-project-title" className="section-title">
          Project
        </h2>
        <Form method="post" className="form form--narrow">
          <FormError message={result?.formError} />
          <Field
            label="Name"
            name="name"
            required
            maxLength={60}
            placeholder="Billing API"
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={errors.name}
          />
          <Field
            label="Address (optional)"
            name="slug"
            maxLength={63}
            placeholder={previewSlug(name) || "billing-api"}
            value={slug}
            onChange={(event) => setSlug(event.currentTarget.value)}
            error={errors.slug}
            autoComplete="off"
            spellCheck={false}
            hint={
              <>
                Lower-case letters, digits and dashes; unique in {org.name}. Left empty it comes
                from the name
                {derived ? (
                  <>
                    : <code data-testid="slug-preview">{derived}</code>
                  </>
                ) : null}
                . It cannot change later.
              </>
            }
          />
          <div>
            <button type="submit" className="button" disabled={busy}>
              Create project
            </button>
          </div>
        </Form>
      </section>
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPage error={error} />;
}
