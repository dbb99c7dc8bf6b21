import { Form, Link, useNavigation } from "react-router";
import { can } from "../../src/auth/permissions";
import { requestInfo } from "../../src/auth/request-info.server";
import { requireOrgAccess } from "../../src/auth/session.server";
import { getDb } from "../../src/db.server";
import { formatTimestamp } from "../../src/format";
import { getWebhookSetup } from "../../src/presenters/webhook-setup.server";
import { fieldsOf } from "../../src/services/errors";
import { rotateWebhookSecret } from "../../src/services/webhooks.server";
import { getTelemetryQueryClient } from "../../src/telemetry/query.server";
import { CopyButton } from "../components/copy-button";
import { ErrorPage } from "../components/error-page";
import { FormError, type FormState } from "../components/forms";
import { TelemetryUnavailable } from "../components/telemetry-unavailable";
import { formFailure } from "../lib/action.server";
import { actorOf } from "../lib/org-action.server";
import type { Route } from "./+types/webhooks";
import "./project-pages.css";
import { Breadcrumb } from "../components/breadcrumb";

export const meta: Route.MetaFunction = () => [{ title: "GitHub webhook · Slipway" }];

export async function loader({ request, params }: Route.LoaderArgs) {
  const access = await requireOrgAccess(request, params.orgSlug, "runner.read");
  const setup = await getWebhookSetup(getDb(), getTelemetryQueryClient(), access.org);
  return { org: access.org, setup, canManage: can(access.role, "webhook.manage") };
}

type ActionData = FormState & { secret?: string; replaced?: boolean };

export async function action({ request, params }: Route.ActionArgs) {
  const { intent } = fieldsOf(await request.formData(), ["intent"]);
  try {
    const access = await requireOrgAccess(request, params.orgSlug, "webhook.manage");
    if (intent !== "rotate") {
      const result: ActionData = { formError: "Unknown action. Reload the page and try again." };
      return result;
    }
    const rotated = await rotateWebhookSecret(getDb(), actorOf(access, requestInfo(request)));
    const result: ActionData = { secret: rotated.secret, replaced: rotated.replaced };
    return result;
  } catch (error) {
    return formFailure(error);
  }
}

export default function WebhookPage({ loaderData, actionData }: Route.ComponentProps) {
  const { org, setup, canManage } = loaderData;
  const result = actionData as ActionData | undefined;
  const busy = useNavigation().state === "submitting";
  const configured = setup.secretConfigured || Boolean(result?.secret);
  return (
    <>
      <header className="page-header">
        <div>
          <Breadcrumb
            trail={[
              { label: org.name, to: `/orgs/${org.slug}` },
              { label: "Runners", to: `/orgs/${org.slug}/runners` },
            ]}
          />
          <h1 className="page-title">GitHub webhook</h1>
        </div>
      </header>
      <p className="muted page-intro">
        GitHub sends each Actions job to Slipway as it is queued, starts and completes; the runners
        page is built from these deliveries.
      </p>

      <section className="card panel" aria-labelledby="setup-title">
        <h2 id="setup-title" className="section-title">
          Add the webhook in GitHub
        </h2>
        <ol className="steps">
          <li>
            In GitHub, open the organization's (or a repository's){" "}
            <strong>Settings → Webhooks → Add webhook</strong>.
          </li>
          <li>
            Fill in:
            <dl className="kv">
              <dt>Payload URL</dt>
              <dd>
                <code data-testid="webhook-url">{setup.url}</code>
                <CopyButton value={setup.url} />
              </dd>
              <dt>Content type</dt>
              <dd>
                <code>{setup.contentType}</code>
              </dd>
              <dt>Secret</dt>
              <dd>
                {result?.secret ? (
                  <span className="muted">the secret shown below</span>
                ) : configured ? (
                  <span className="muted">
                    the secret generated earlier (Slipway does not show it again)
                  </span>
                ) : (
                  <span className="muted">generate one below first</span>
                )}
              </dd>
              <dt>Events</dt>
              <dd>
                <span>
                  “Let me select individual events”, then{" "}
                  {setup.events.map((event, i) => (
                    <span key={event}>
                      {i > 0 ? " and " : ""}
                      <code>{event}</code>
                    </span>
                  ))}{" "}
                  (Workflow jobs and Workflow runs).
                </span>
              </dd>
            </dl>
          </li>
          <li>
            Save. GitHub sends a <code>ping</code> first; jobs appear on the{" "}
            <Link to={`/orgs/${org.slug}/runners`}>runners page</Link> as workflows run.
          </li>
        </ol>
        <p className="field__hint" style={{ marginTop: 12 }}>
          The URL is this server's ingest address. If GitHub reaches ingest at another address
          (behind a proxy), use that host with the same path.
        </p>
      </section>

      <section className="card panel" aria-labelledby="secret-title">
        <h2 id="secret-title" className="section-title">
          Secret
        </h2>
        <p className="muted" data-testid="secret-status">
          {configured
            ? "A secret is set. Deliveries must be signed with it (X-Hub-Signature-256); others are refused."
            : "No secret is set yet: ingest refuses this organization's deliveries until one is."}
        </p>
        {result?.secret ? (
          <div className="secret" data-testid="new-secret-box" style={{ marginTop: 12 }}>
            <p>
              {result.replaced
                ? "New secret generated; the old one stopped working. "
                : "Secret generated. "}
              Paste it into GitHub now: it is shown only once.
            </p>
            <div className="secret__row">
              <code className="secret__value" data-testid="new-secret">
                {result.secret}
              </code>
              <CopyButton value={result.secret} />
            </div>
          </div>
        ) : null}
        <FormError message={result?.formError} />
        {canManage ? (
          <Form method="post" style={{ marginTop: 12 }}>
            <input type="hidden" name="intent" value="rotate" />
            <button
              type="submit"
              className={configured ? "button button--secondary" : "button"}
              disabled={busy}
            >
              {configured ? "Rotate secret" : "Generate secret"}
            </button>
            {configured ? (
              <span className="muted" style={{ marginLeft: 12 }}>
                Deliveries signed with the current secret fail until GitHub has the new one.
              </span>
            ) : null}
          </Form>
        ) : (
          <p className="muted">Owners and admins can generate or rotate the secret.</p>
        )}
      </section>

      <section className="card panel" aria-labelledby="last-title">
        <h2 id="last-title" className="section-title">
          Last delivery received
        </h2>
        {!setup.lastJob.ok ? (
          <TelemetryUnavailable what="Delivery history" reason={setup.lastJob.reason} />
        ) : setup.lastJob.data ? (
          <p data-testid="last-delivery">
            The newest job reported is <strong>{setup.lastJob.data.jobName}</strong> of{" "}
            <span className="mono">{setup.lastJob.data.repository}</span> (
            {setup.lastJob.data.status.replace("_", " ")}), queued{" "}
            {formatTimestamp(setup.lastJob.data.queuedAt)}.
          </p>
        ) : (
          <p className="muted" data-testid="last-delivery">
            No job received in the last 90 days.
          </p>
        )}
      </section>
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPage error={error} />;
}
