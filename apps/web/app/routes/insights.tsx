import { Link } from "react-router";
import { requireOrgAccess } from "../../src/auth/session.server";
import { getDb } from "../../src/db.server";
import { formatDuration, formatPercent } from "../../src/format";
import { isSlug } from "../../src/presenters/params";
import { getProjectInsights } from "../../src/presenters/project-insights.server";
import "../components/build-insights.css";
import { Breadcrumb } from "../components/breadcrumb";
import { ErrorPage } from "../components/error-page";
import { DurationTrendChart, HitRatioChart, LintShareChart } from "../components/insights-charts";
import { TableScroll } from "../components/table-scroll";
import { TelemetryUnavailable } from "../components/telemetry-unavailable";
import { notFound } from "../lib/errors";
import type { Route } from "./+types/insights";

export async function loader({ params, request }: Route.LoaderArgs) {
  const { orgSlug, projectSlug } = params;
  const access = await requireOrgAccess(request, orgSlug, "build.read");
  const missing = (orgName: string) =>
    notFound({
      title: "Project not found",
      message: `${orgName} has no project “${projectSlug}”.`,
      back: { href: `/orgs/${orgSlug}`, label: `Back to ${orgName}` },
    });
  if (!isSlug(projectSlug)) throw missing(access.org.name);
  const result = await getProjectInsights(getDb(), { orgSlug: access.org.slug, projectSlug });
  if (result.kind === "org-not-found") {
    throw notFound({ title: "Organization not found", message: `No organization “${orgSlug}”.` });
  }
  if (result.kind === "project-not-found") throw missing(result.org.name);
  return result.data;
}

export const meta: Route.MetaFunction = ({ data }) => [
  { title: data ? `Insights · ${data.project.name} · Slipway` : "Slipway" },
];

function Trend({ now, before }: { now: number | null; before: number | null }) {
  if (now === null || before === null || before === 0) return <span className="muted">—</span>;
  const change = (now - before) / before;
  if (Math.abs(change) < 0.05) return <span className="muted">steady</span>;
  return (
    <span className={change > 0 ? "slower" : "faster"}>
      {change > 0 ? "▲" : "▼"} {formatPercent(Math.abs(change))}
    </span>
  );
}

export default function InsightsPage({ loaderData }: Route.ComponentProps) {
  const { org, project, days, insights } = loaderData;
  const base = `/orgs/${org.slug}/projects/${project.slug}`;
  return (
    <div className="insights-scope">
      <header className="page-header">
        <div>
          <Breadcrumb
            trail={[
              { label: org.name, to: `/orgs/${org.slug}` },
              { label: project.name, to: base },
              { label: "Insights" },
            ]}
          />
          <h1 className="page-title">Insights</h1>
        </div>
        <p className="page-header__aside">Last {days} days · UTC</p>
      </header>
      {!insights.ok ? (
        <TelemetryUnavailable what="Insights" reason={insights.reason} />
      ) : (
        <>
          <div className="chart-grid">
            <section className="card panel" aria-labelledby="duration-title">
              <header className="panel__header">
                <h2 id="duration-title" className="panel__title">
                  Build duration
                </h2>
                <span className="muted">p50 / p95 per day</span>
              </header>
              <DurationTrendChart rows={insights.data.durations} />
            </section>
            <section className="card panel" aria-labelledby="hits-title">
              <header className="panel__header">
                <h2 id="hits-title" className="panel__title">
                  Cache hit ratio
                </h2>
                <span className="muted">steps served from cache</span>
              </header>
              <HitRatioChart rows={insights.data.hitRatio} />
            </section>
          </div>
          <section
            className="card panel panel--flush"
            aria-labelledby="slowest-title"
            data-testid="slowest-steps"
          >
            <header className="panel__header">
              <h2 id="slowest-title" className="panel__title">
                Slowest steps
              </h2>
              <span className="muted">trend: p50 against the {days} days before</span>
            </header>
            <TableScroll label="Steps">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Step</th>
                    <th scope="col" className="num">
                      Runs
                    </th>
                    <th scope="col" className="num">
                      Cached
                    </th>
                    <th scope="col" className="num">
                      p50
                    </th>
                    <th scope="col" className="num">
                      p95
                    </th>
                    <th scope="col" className="num">
                      Trend
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {insights.data.slowest.map((s) => (
                    <tr key={s.step}>
                      <td className="mono step-cell">
                        <Link to={`${base}/steps?name=${encodeURIComponent(s.step)}`}>
                          {s.step}
                        </Link>
                      </td>
                      <td className="num mono">{s.runs}</td>
                      <td className="num mono">
                        {formatPercent(s.runs ? s.cachedRuns / s.runs : null)}
                      </td>
                      <td className="num mono">{formatDuration(s.p50DurationMs)}</td>
                      <td className="num mono">{formatDuration(s.p95DurationMs)}</td>
                      <td className="num">
                        <Trend now={s.p50DurationMs} before={s.previousP50Ms} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          </section>
          <section className="card panel" aria-labelledby="lint-title">
            <header className="panel__header">
              <h2 id="lint-title" className="panel__title">
                Top lint issues
              </h2>
              <span className="muted">share of the project's linted Dockerfiles</span>
            </header>
            {insights.data.lint.length === 0 ? (
              <p className="muted">No lint findings in this period.</p>
            ) : (
              <>
                <LintShareChart rows={insights.data.lint} />
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">Rule</th>
                      <th scope="col">Level</th>
                      <th scope="col" className="num">
                        Findings
                      </th>
                      <th scope="col" className="num">
                        Dockerfiles
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {insights.data.lint.map((r) => (
                      <tr key={r.code}>
                        <td className="mono">{r.code}</td>
                        <td>{r.level}</td>
                        <td className="num mono">{r.findings}</td>
                        <td className="num mono">
                          {r.dockerfiles}/{r.totalDockerfiles} ({formatPercent(r.share)})
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            )}
          </section>
        </>
      )}
    </div>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPage error={error} />;
}
