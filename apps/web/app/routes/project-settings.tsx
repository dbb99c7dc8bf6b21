import { data, Form, redirect, useNavigation } from "react-router";
import { can, ROLE_LABELS } from "../../src/auth/permissions";
import { requestInfo } from "../../src/auth/request-info.server";
import { requireOrgAccess } from "../../src/auth/session.server";
import { getDb } from "../../src/db.server";
import { KNOWN_PLATFORMS, LIMITS, LINT_POLICIES } from "../../src/presenters/project-options";
import { builderSizeOptions } from "../../src/presenters/project-settings.server";
import { fieldsOf, HTTP_STATUS, ServiceError } from "../../src/services/errors";
import {
  deleteProject,
  FieldErrors,
  getProjectSettings,
  type ProjectSettingsValues,
  renameProject,
  settingsFromForm,
  updateProjectSettings,
} from "../../src/services/projects.server";
import { ErrorPage } from "../components/error-page";
import { Field, FormError, Notice } from "../components/forms";
import { ProjectTabs } from "../components/project-tabs";
import { notFound } from "../lib/errors";
import { actorOf } from "../lib/org-action.server";
import type { Route } from "./+types/project-settings";
import "./project-pages.css";
import { Breadcrumb } from "../components/breadcrumb";

export async function loader({ request, params }: Route.LoaderArgs) {
  const access = await requireOrgAccess(request, params.orgSlug, "build.read");
  const project = await getProjectSettings(getDb(), access.org.id, params.projectSlug);
  if (!project) {
    throw notFound({
      title: "Project not found",
      message: `${access.org.name} has no project “${params.projectSlug}”. It may have been deleted.`,
      back: { href: `/orgs/${access.org.slug}`, label: `Back to ${access.org.name}` },
    });
  }
  return {
    org: access.org,
    role: access.role,
    project: { slug: project.slug, name: project.name },
    settings: project.settings,
    // builder-core's sizes, so the form says what each one gets
    sizes: builderSizeOptions(),
    can: {
      update: can(access.role, "project.settings.update"),
      rename: can(access.role, "project.rename"),
      delete: can(access.role, "project.delete"),
    },
  };
}

export const meta: Route.MetaFunction = ({ data }) => [
  { title: data ? `Settings · ${data.project.name} · Slipway` : "Slipway" },
];

type Intent = "settings" | "rename" | "delete";

interface ActionData {
  intent?: Intent;
  errors?: Record<string, string | undefined>;
  formError?: string;
  /** What was posted, to fill the form again after a refusal. */
  values?: Record<string, string | string[] | boolean>;
  notice?: string;
}

/** A refusal: the fields' messages (or one message for the form), status from the error's code. */
function refused(error: unknown, intent: Intent, values: ActionData["values"] = {}) {
  if (error instanceof FieldErrors) {
    return data({ intent, errors: error.fields, values }, { status: 400 });
  }
  if (!(error instanceof ServiceError)) throw error;
  const body: ActionData = error.field
    ? { intent, errors: { [error.field]: error.message }, values }
    : { intent, formError: error.message, values };
  return data(body, { status: HTTP_STATUS[error.code] });
}

const SETTINGS_TEXT_FIELDS = [
  "builderSize",
  "buildsPerBuilder",
  "maxBuilders",
  "cacheSizeLimitGiB",
  "cacheRetentionDays",
  "lintPolicy",
] as const;

export async function action({ request, params }: Route.ActionArgs) {
  const form = await request.formData();
  const { intent, name, confirm } = fieldsOf(form, ["intent", "name", "confirm"]);
  const info = requestInfo(request);
  const projectSlug = params.projectSlug;
  if (intent === "settings") {
    const posted = fieldsOf(form, SETTINGS_TEXT_FIELDS);
    const values = {
      ...posted,
      platforms: form.getAll("platforms").filter((v): v is string => typeof v === "string"),
      autoscalingEnabled: form.get("autoscalingEnabled") === "on",
    };
    try {
      const access = await requireOrgAccess(request, params.orgSlug, "project.settings.update");
      const { changed } = await updateProjectSettings(getDb(), actorOf(access, info), {
        projectSlug,
        settings: settingsFromForm(form),
      });
      const result: ActionData = {
        intent,
        notice:
          changed.length === 0
            ? "Nothing changed."
            : `Saved. The next build uses the new ${changed.length === 1 ? "setting" : "settings"}.`,
      };
      return result;
    } catch (error) {
      return refused(error, intent, values);
    }
  }
  if (intent === "rename") {
    try {
      const access = await requireOrgAccess(request, params.orgSlug, "project.rename");
      const renamed = await renameProject(getDb(), actorOf(access, info), { projectSlug, name });
      const result: ActionData = { intent, notice: `Renamed to ${renamed.name}.` };
      return result;
    } catch (error) {
      return refused(error, intent, { name });
    }
  }
  if (intent === "delete") {
    try {
      const access = await requireOrgAccess(request, params.orgSlug, "project.delete");
      await deleteProject(getDb(), actorOf(access, info), { projectSlug, confirm });
      return redirect(`/orgs/${access.org.slug}?deleted=${encodeURIComponent(projectSlug)}`);
    } catch (error) {
      return refused(error, intent, { confirm });
    }
  }
  return data<ActionData>(
    { formError: "Unknown action. Reload the page and try again." },
    { status: 400 },
  );
}

const LINT_LABELS: Record<(typeof LINT_POLICIES)[number], { title: string; hint: string }> = {
  REPORT: { title: "Report", hint: "Findings are shown; builds never fail on them." },
  FAIL_ON_ERROR: { title: "Fail on error", hint: "A finding of level error stops the build." },
  FAIL_ON_WARNING: {
    title: "Fail on warning",
    hint: "Warnings and errors stop the build.",
  },
};

function FieldMessage({ id, error }: { id: string; error?: string }) {
  if (!error) return null;
  return (
    <p id={id} className="field__error" data-testid={`${id.replace(/-error$/, "")}-error`}>
      {error}
    </p>
  );
}

function NumberField({
  name,
  label,
  suffix,
  hint,
  min,
  max,
  defaultValue,
  error,
  disabled,
}: {
  name: keyof typeof LIMITS;
  label: string;
  suffix: string;
  hint?: string;
  min: number;
  max: number;
  defaultValue: string | number;
  error?: string;
  disabled: boolean;
}) {
  const id = `settings-${name}`;
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null]
    .filter(Boolean)
    .join(" ");
  return (
    <div className={error ? "field field--invalid" : "field"}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      <div className="input-suffix">
        <input
          id={id}
          name={name}
          className="input"
          type="number"
          inputMode="numeric"
          step={1}
          min={min}
          max={max}
          // The server validates every value; the browser's own checks only help earlier.
          defaultValue={defaultValue}
          disabled={disabled}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy || undefined}
        />
        <span>{suffix}</span>
      </div>
      {hint ? (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      ) : null}
      <FieldMessage id={`${id}-error`} error={error} />
    </div>
  );
}

function SettingsForm({
  settings,
  sizes,
  result,
  disabled,
  busy,
}: {
  settings: ProjectSettingsValues;
  sizes: { value: string; cpus: number; memory: string }[];
  result: ActionData | undefined;
  disabled: boolean;
  busy: boolean;
}) {
  const mine = result?.intent === "settings" ? result : undefined;
  const errors = mine?.errors ?? {};
  const posted = mine?.errors ? mine.values : undefined;
  const text = (key: (typeof SETTINGS_TEXT_FIELDS)[number]) =>
    typeof posted?.[key] === "string" ? (posted[key] as string) : String(settings[key]);
  const platforms = Array.isArray(posted?.platforms)
    ? (posted.platforms as string[])
    : settings.platforms;
  const autoscaling =
    typeof posted?.autoscalingEnabled === "boolean"
      ? posted.autoscalingEnabled
      : settings.autoscalingEnabled;
  return (
    <Form method="post" noValidate aria-labelledby="build-settings-title">
      <input type="hidden" name="intent" value="settings" />
      {mine?.formError ? <FormError message={mine.formError} /> : null}
      {mine?.errors ? (
        <FormError message="Some settings were not saved: see the messages next to them." />
      ) : null}

      <div className="settings-section">
        <div className="settings-section__intro">
          <h3>Builders</h3>
          <p>
            The size of each BuildKit builder (CPU and memory limits) and the platforms images are
            built for. Platforms other than the host's build under QEMU emulation.
          </p>
        </div>
        <div className="settings-section__fields">
          <fieldset
            className="fieldset"
            aria-describedby={errors.builderSize ? "size-error" : undefined}
          >
            <legend>Builder size</legend>
            <div className="choice-grid">
              {sizes.map((size) => (
                <label key={size.value} className="choice">
                  <input
                    type="radio"
                    name="builderSize"
                    value={size.value}
                    defaultChecked={text("builderSize") === size.value}
                    disabled={disabled}
                  />
                  <span className="choice__label">
                    <span className="choice__title">
                      {size.value.charAt(0) + size.value.slice(1).toLowerCase()}
                    </span>
                    <span className="choice__hint">
                      {size.cpus} CPU{size.cpus === 1 ? "" : "s"} · {size.memory}
                    </span>
                  </span>
                </label>
              ))}
            </div>
            <FieldMessage id="size-error" error={errors.builderSize} />
          </fieldset>

          <fieldset
            className="fieldset"
            aria-describedby={errors.platforms ? "platforms-error" : undefined}
          >
            <legend>Platforms</legend>
            <div className="choice-grid">
              {KNOWN_PLATFORMS.map((platform) => (
                <label key={platform} className="choice">
                  <input
                    type="checkbox"
                    name="platforms"
                    value={platform}
                    defaultChecked={platforms.includes(platform)}
                    disabled={disabled}
                  />
                  <span className="choice__label">
                    <span className="choice__title mono">{platform}</span>
                  </span>
                </label>
              ))}
            </div>
            <FieldMessage id="platforms-error" error={errors.platforms} />
          </fieldset>
        </div>
      </div>

      <div className="settings-section">
        <div className="settings-section__intro">
          <h3>Autoscaling</h3>
          <p>Start more builders when every builder of a platform is busy.</p>
        </div>
        <div className="settings-section__fields">
          <label className="choice" style={{ maxWidth: 360 }}>
            <input
              type="checkbox"
              name="autoscalingEnabled"
              defaultChecked={autoscaling}
              disabled={disabled}
              aria-describedby="autoscaling-explainer"
            />
            <span className="choice__label">
              <span className="choice__title">Autoscaling</span>
              <span className="choice__hint">
                When off, each platform has one builder and builds wait for it.
              </span>
            </span>
          </label>
          <FieldMessage id="autoscaling-error" error={errors.autoscalingEnabled} />
          <div className="field-row">
            <NumberField
              name="buildsPerBuilder"
              label="Builds per builder"
              suffix="at once"
              hint="A builder runs this many builds before another starts."
              {...LIMITS.buildsPerBuilder}
              defaultValue={text("buildsPerBuilder")}
              error={errors.buildsPerBuilder}
              disabled={disabled}
            />
            <NumberField
              name="maxBuilders"
              label="Max builders"
              suffix="per platform"
              hint="The main builder included; used while autoscaling is on."
              {...LIMITS.maxBuilders}
              defaultValue={text("maxBuilders")}
              error={errors.maxBuilders}
              disabled={disabled}
            />
          </div>
          <p className="explainer" id="autoscaling-explainer">
            <strong>How extra builders get their cache.</strong> The main builder owns the project's
            layer cache. An extra builder (a clone) starts from a point-in-time copy of that cache,
            taken when the main builder was last idle, so it starts warm. What a clone builds is{" "}
            <strong>never written back</strong>: its new layers are lost when it stops after a
            minute idle, and it misses layers the main builder cached after the copy. More builders
            cut queue time; only builds on the main builder grow the shared cache.
          </p>
        </div>
      </div>

      <div className="settings-section">
        <div className="settings-section__intro">
          <h3>Cache</h3>
          <p>How much layer cache the main builder keeps, and for how long.</p>
        </div>
        <div className="settings-section__fields">
          <div className="field-row">
            <NumberField
              name="cacheSizeLimitGiB"
              label="Cache size limit"
              suffix="GiB"
              hint="When the main builder goes idle, its cache is pruned to this size, least recently used first."
              {...LIMITS.cacheSizeLimitGiB}
              defaultValue={text("cacheSizeLimitGiB")}
              error={errors.cacheSizeLimitGiB}
              disabled={disabled}
            />
            <NumberField
              name="cacheRetentionDays"
              label="Retention"
              suffix="days"
              hint="Cache records unused for longer are due for removal."
              {...LIMITS.cacheRetentionDays}
              defaultValue={text("cacheRetentionDays")}
              error={errors.cacheRetentionDays}
              disabled={disabled}
            />
          </div>
        </div>
      </div>

      <div className="settings-section">
        <div className="settings-section__intro">
          <h3>Dockerfile lint</h3>
          <p>
            Every build is linted first. The CLI's <code>--lint-fail-on</code> can only make this
            stricter.
          </p>
        </div>
        <div className="settings-section__fields">
          <fieldset
            className="fieldset"
            aria-describedby={errors.lintPolicy ? "lint-error" : undefined}
          >
            <legend>Lint policy</legend>
            <div className="choice-grid">
              {LINT_POLICIES.map((policy) => (
                <label key={policy} className="choice">
                  <input
                    type="radio"
                    name="lintPolicy"
                    value={policy}
                    defaultChecked={text("lintPolicy") === policy}
                    disabled={disabled}
                  />
                  <span className="choice__label">
                    <span className="choice__title">{LINT_LABELS[policy].title}</span>
                    <span className="choice__hint">{LINT_LABELS[policy].hint}</span>
                  </span>
                </label>
              ))}
            </div>
            <FieldMessage id="lint-error" error={errors.lintPolicy} />
          </fieldset>
        </div>
      </div>

      {disabled ? null : (
        <div className="form-actions">
          <span className="muted">Applies to the next build.</span>
          <button type="submit" className="button" disabled={busy}>
            Save settings
          </button>
        </div>
      )}
    </Form>
  );
}

export default function ProjectSettingsPage({ loaderData, actionData }: Route.ComponentProps) {
  const { org, project, settings, sizes, role } = loaderData;
  const result = actionData as ActionData | undefined;
  const busy = useNavigation().state === "submitting";
  const renameErrors = result?.intent === "rename" ? result.errors : undefined;
  const deleteErrors = result?.intent === "delete" ? result.errors : undefined;
  return (
    <>
      <header className="page-header">
        <div>
          <Breadcrumb
            trail={[
              { label: org.name, to: `/orgs/${org.slug}` },
              { label: project.name, to: `/orgs/${org.slug}/projects/${project.slug}` },
            ]}
          />
          <h1 className="page-title">Settings</h1>
        </div>
      </header>
      <ProjectTabs orgSlug={org.slug} projectSlug={project.slug} />

      {result?.notice ? <Notice>{result.notice}</Notice> : null}
      {result?.formError && !result.intent ? <FormError message={result.formError} /> : null}

      <div className="settings-grid">
        <section className="card panel" aria-labelledby="build-settings-title">
          <h2 id="build-settings-title" className="section-title">
            Build settings
          </h2>
          {loaderData.can.update ? null : (
            <p className="muted">
              You are {ROLE_LABELS[role]}: you can read these settings; members, admins and owners
              can change them.
            </p>
          )}
          <SettingsForm
            // A saved change re-renders the form with the stored values.
            key={JSON.stringify(settings)}
            settings={settings}
            sizes={sizes}
            result={result}
            disabled={!loaderData.can.update}
            busy={busy}
          />
        </section>

        {loaderData.can.rename ? (
          <section className="card panel" aria-labelledby="rename-title">
            <h2 id="rename-title" className="section-title">
              Name
            </h2>
            <Form method="post" className="form form--narrow" key={project.name}>
              <input type="hidden" name="intent" value="rename" />
              {result?.intent === "rename" ? <FormError message={result.formError} /> : null}
              <Field
                label="Project name"
                name="name"
                required
                maxLength={60}
                defaultValue={renameErrors ? String(result?.values?.name ?? "") : project.name}
                error={renameErrors?.name}
                hint={
                  <>
                    The address stays <code>/projects/{project.slug}</code>, and so do tokens and
                    CLI commands that name it.
                  </>
                }
              />
              <div>
                <button type="submit" className="button" disabled={busy}>
                  Rename
                </button>
              </div>
            </Form>
          </section>
        ) : null}

        {loaderData.can.delete ? (
          <section className="card panel danger-zone" aria-labelledby="delete-title">
            <h2 id="delete-title" className="section-title">
              Delete {project.name}
            </h2>
            <p className="muted">
              The project disappears from the dashboard, its builders stop taking builds and its API
              tokens stop working. Its build history stays in the audit log. The address{" "}
              <code>{project.slug}</code> cannot be reused.
            </p>
            <Form method="post" className="form form--narrow">
              <input type="hidden" name="intent" value="delete" />
              {result?.intent === "delete" ? <FormError message={result.formError} /> : null}
              <Field
                label={`Type ${project.name} to confirm`}
                name="confirm"
                autoComplete="off"
                spellCheck={false}
                defaultValue={deleteErrors ? String(result?.values?.confirm ?? "") : ""}
                error={deleteErrors?.confirm}
              />
              <div>
                <button type="submit" className="button button--danger" disabled={busy}>
                  Delete project
                </button>
              </div>
            </Form>
          </section>
        ) : null}
      </div>
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPage error={error} />;
}
