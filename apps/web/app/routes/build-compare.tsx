import { Link } from "react-router";
import { requireOrgAccess } from "../../src/auth/session.server";
import { getDb } from "../../src/db.server";
import { formatDuration, formatPercent, pluralize } from "../../src/format";
import type { StepChange } from "../../src/insights/compare";
import { getBuildComparison } from "../../src/presenters/build-compare.server";
import { parseBuildNumber } from "../../src/presenters/build-lookup.server";
import { isSlug } from "../../src/presenters/params";
import { ErrorPage } from "../components/error-page";
import { StatusBadge } from "../components/status-badge";
import { TelemetryUnavailable } from "../components/telemetry-unavailable";
import "../components/build-insights.css";
import { Breadcrumb } from "../components/breadcrumb";
import { TableScroll } from "../components/table-scroll";
import { badRequest, notFound } from "../lib/errors";
import type { Route } from "./+types/build-compare";

export async function loader({ params, request }: Route.LoaderArgs) {
  const { orgSlug, projectSlug } = params;
  const access = await requireOrgAccess(request, orgSlug, "build.read");
  const projectHref = `/orgs/${orgSlug}/projects/${projectSlug}`;
  const url = new URL(request.url);
  const a = parseBuildNumber(url.searchParams.get("a"));
  const b = parseBuildNumber(url.searchParams.get("b"));
  if (a === null || b === null) {
    throw badRequest({
      title: "Invalid comparison",
      message: "Compare needs two build numbers: ?a=<number>&b=<number>, whole numbers from 1.",
      back: { href: projectHref, label: "Back to the builds" },
    });
  }
  if (!isSlug(projectSlug)) {
    throw notFound({
      title: "Project not found",
      message: `${access.org.name} has no project “${projectSlug}”.`,
    });
  }
  const result = await getBuildComparison(getDb(), { orgSlug: access.org.slug, projectSlug, a, b });
  switch (result.kind) {
    case "org-not-found":
      throw notFound({ title: "Organization not found", message: `No organization “${orgSlug}”.` });
    case "project-not-found":
      throw notFound({
        title: "Project not found",
        message: `${result.org.name} has no project “${projectSlug}”.`,
      });
    case "build-not-found":
      throw notFound({
        title: "Build not found",
        message: `${result.project.name} has no build #${result.number}.`,
        back: { href: projectHref, label: `Back to ${result.project.name}` },
      });
    case "ok":
      return result.data;
  }
}

export const meta: Route.MetaFunction = ({ data }) => [
  {
    title: data
      ? `#${data.a.number} vs #${data.b.number} · ${data.project.name} · Slipway`
      : "Slipway",
  },
];

const LABELS: Record<StepChange, string> = {
  "lost-cache": "lost cache",
  "gained-cache": "now cached",
  slower: "slower",
  faster: "faster",
  same: "same",
  new: "new",
  removed: "removed",
  failed: "failed",
};

function signed(ms: number | null) {
  if (ms === null) return "—";
  if (ms === 0) return "0";
  return `${ms > 0 ? "+" : "−"}${formatDuration(Math.abs(ms))}`;
}

export default function BuildComparePage({ loaderData }: Route.ComponentProps) {
  const { org, project, a, b, comparison } = loaderData;
  const base = `/orgs/${org.slug}/projects/${project.slug}`;
  return (
    <div className="insights-scope">
      <header className="page-header">
        <div>
          <Breadcrumb
            trail={[
              { label: org.name, to: `/orgs/${org.slug}` },
              { label: project.name, to: base },
              { label: "Compare" },
            ]}
          />
          <h1 className="page-title">
            <Link to={`${base}/builds/${a.number}`}>#{a.number}</Link> vs{" "}
            <Link to={`${base}/builds/${b.number}`}>#{b.number}</Link>
          </h1>
        </div>
      </header>
      <section className="card panel" aria-label="Builds compared">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Build</th>
              <th scope="col">Status</th>
              <th scope="col">Branch</th>
              <th scope="col" className="num">
                Duration
              </th>
              <th scope="col" className="num">
                Cache hits
              </th>
            </tr>
          </thead>
          <tbody>
            {[a, b].map((x) => (
              <tr key={x.number}>
                <td className="mono strong">#{x.number}</td>
                <td>
                  <StatusBadge status={x.status} />
                </td>
                <td className="mono">
                  {x.gitBranch ?? "—"} {x.gitCommit ? x.gitCommit.slice(0, 7) : ""}
                </td>
                <td className="num mono">{formatDuration(x.durationMs)}</td>
                <td className="num mono">{formatPercent(x.cacheHitRatio)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {!comparison.ok ? (
        <TelemetryUnavailable what="Step comparison" reason={comparison.reason} />
      ) : (
        <section
          className="card panel panel--flush"
          aria-labelledby="steps-title"
          data-testid="compare"
        >
          <header className="panel__header">
            <h2 id="steps-title" className="panel__title">
              Steps
            </h2>
            <span className="muted">
              {comparison.data.counts["lost-cache"]} lost cache · {comparison.data.counts.slower}{" "}
              slower · {comparison.data.counts.new} new · {comparison.data.counts.removed} removed ·
              executed time {formatDuration(comparison.data.totalA)} →{" "}
              {formatDuration(comparison.data.totalB)}
            </span>
          </header>
          <TableScroll label="Steps">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Step</th>
                  <th scope="col">Change</th>
                  <th scope="col" className="num">
                    #{a.number}
                  </th>
                  <th scope="col" className="num">
                    #{b.number}
                  </th>
                  <th scope="col" className="num">
                    Δ
                  </th>
                </tr>
              </thead>
              <tbody>
                {comparison.data.steps.map((s) => (
                  <tr key={s.key} data-change={s.change}>
                    <td className="mono step-cell">
                      {s.name}
                      <span className="muted">
                        {" "}
                        {[s.platform, s.stage].filter(Boolean).join(" · ")}
                      </span>
                    </td>
                    <td>
                      <span className={`change change--${s.change}`}>{LABELS[s.change]}</span>
                    </td>
                    <td className="num mono">
                      {s.a ? (s.a.cached ? "cached" : formatDuration(s.a.durationMs)) : "—"}
                    </td>
                    <td className="num mono">
                      {s.b ? (s.b.cached ? "cached" : formatDuration(s.b.durationMs)) : "—"}
                    </td>
                    <td
                      className={`num mono ${(s.deltaMs ?? 0) > 0 ? "slower" : (s.deltaMs ?? 0) < 0 ? "faster" : ""}`}
                    >
                      {signed(s.deltaMs)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          <p className="muted" style={{ padding: "0 20px 16px" }}>
            {pluralize(comparison.data.steps.length, "step")} matched by name without BuildKit's
            “[stage n/m]” prefix. A step that lost its cache ran again because it or a step before
            it in its stage changed: open #{b.number} for “why was this slow”.
          </p>
        </section>
      )}
    </div>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPage error={error} />;
}
