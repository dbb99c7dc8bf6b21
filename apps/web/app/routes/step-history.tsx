import { Link } from "react-router";
import { requireOrgAccess } from "../../src/auth/session.server";
import { getDb } from "../../src/db.server";
import { formatDuration, formatPercent, pluralize } from "../../src/format";
import { isSlug } from "../../src/presenters/params";
import { getStepHistory, parseStepName } from "../../src/presenters/project-insights.server";
import "../components/build-insights.css";
import { Breadcrumb } from "../components/breadcrumb";
import { ErrorPage } from "../components/error-page";
import { StepHistoryChart } from "../components/insights-charts";
import { TelemetryUnavailable } from "../components/telemetry-unavailable";
import { badRequest, notFound } from "../lib/errors";
import type { Route } from "./+types/step-history";

export async function loader({ params, request }: Route.LoaderArgs) {
  const { orgSlug, projectSlug } = params;
  const access = await requireOrgAccess(request, orgSlug, "build.read");
  const step = parseStepName(new URL(request.url).searchParams.get("name"));
  const projectHref = `/orgs/${orgSlug}/projects/${projectSlug}`;
  if (step === null) {
    throw badRequest({
      title: "Invalid step",
      message:
        "Name the step: ?name=<step as in the waterfall, e.g. RUN npm ci> (1 to 4096 characters).",
      back: { href: `${projectHref}/insights`, label: "Go to the project's insights" },
    });
  }
  const missing = (orgName: string) =>
    notFound({
      title: "Project not found",
      message: `${orgName} has no project “${projectSlug}”.`,
    });
  if (!isSlug(projectSlug)) throw missing(access.org.name);
  const result = await getStepHistory(getDb(), { orgSlug: access.org.slug, projectSlug, step });
  if (result.kind === "org-not-found") {
    throw notFound({ title: "Organization not found", message: `No organization “${orgSlug}”.` });
  }
  if (result.kind === "project-not-found") throw missing(result.org.name);
  return result.data;
}

export const meta: Route.MetaFunction = ({ data }) => [
  { title: data ? `${data.step} · ${data.project.name} · Slipway` : "Slipway" },
];

export default function StepHistoryPage({ loaderData }: Route.ComponentProps) {
  const { org, project, step, history } = loaderData;
  const base = `/orgs/${org.slug}/projects/${project.slug}`;
  const points = history.ok ? history.data : [];
  const ran = points.filter((p) => !p.cached && p.durationMs !== null);
  return (
    <div className="insights-scope">
      <header className="page-header">
        <div>
          <Breadcrumb
            trail={[
              { label: org.name, to: `/orgs/${org.slug}` },
              { label: project.name, to: base },
              { label: "Insights", to: `${base}/insights` },
              { label: "Step history" },
            ]}
          />
          <h1 className="page-title mono" style={{ fontSize: 20, overflowWrap: "anywhere" }}>
            {step}
          </h1>
        </div>
      </header>
      {!history.ok ? (
        <TelemetryUnavailable what="Step history" reason={history.reason} />
      ) : points.length === 0 ? (
        <div className="card empty-state">
          <h3>No runs of this step</h3>
          <p>
            No build of {project.name} ran “{step}” in the last 90 days.
          </p>
        </div>
      ) : (
        <section className="card panel" aria-labelledby="history-title" data-testid="step-history">
          <header className="panel__header">
            <h2 id="history-title" className="panel__title">
              Last {pluralize(points.length, "build")}
            </h2>
            <span className="muted">
              cache hits {formatPercent(1 - ran.length / points.length)} · median when run{" "}
              {formatDuration(
                [...ran.map((p) => p.durationMs ?? 0)].sort((a, b) => a - b)[
                  Math.floor(ran.length / 2)
                ],
              )}
            </span>
          </header>
          <StepHistoryChart points={points} />
          <p className="muted" style={{ fontSize: 12 }}>
            Blue: ran · grey: cached · red: failed. Open a build:{" "}
            {points.slice(-10).map((p) => (
              <Link key={p.number} to={`${base}/builds/${p.number}`} style={{ marginRight: 6 }}>
                #{p.number}
              </Link>
            ))}
          </p>
        </section>
      )}
    </div>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPage error={error} />;
}
