import { Link, useRouteLoaderData } from "react-router";
import { requireOrgAccess } from "../../src/auth/session.server";
import { getDb } from "../../src/db.server";
import { formatDuration, formatPercent, formatRelative, pluralize } from "../../src/format";
import { getOrgOverview, type ProjectCard } from "../../src/presenters/org-overview.server";
import { Breadcrumb } from "../components/breadcrumb";
import { BuildsChart } from "../components/builds-chart";
import { ErrorPage } from "../components/error-page";
import { StatusBadge } from "../components/status-badge";
import { notFound } from "../lib/errors";
import type { Route } from "./+types/org-overview";
import type { loader as orgLayoutLoader } from "./org-layout";

export async function loader({ params, request }: Route.LoaderArgs) {
  const access = await requireOrgAccess(request, params.orgSlug, "build.read");
  const overview = await getOrgOverview(getDb(), access.org.slug);
  if (!overview) {
    throw notFound({
      title: "Organization not found",
      message: `There is no organization “${params.orgSlug}”.`,
    });
  }
  return overview;
}

export const meta: Route.MetaFunction = ({ data }) => [
  { title: data ? `${data.org.name} · Overview · Slipway` : "Slipway" },
];

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="stat" title={hint}>
      <p className="stat__label">{label}</p>
      <p className="stat__value">{value}</p>
    </div>
  );
}

function ProjectCardView({
  orgSlug,
  project,
  now,
}: {
  orgSlug: string;
  project: ProjectCard;
  now: string;
}) {
  return (
    <li>
      <Link
        to={`/orgs/${orgSlug}/projects/${project.slug}`}
        className="card project-card"
        data-testid="project-card"
      >
        <div className="project-card__header">
          <h3 className="project-card__name">{project.name}</h3>
          <span
            className={project.autoscalingEnabled ? "pill pill--on" : "pill"}
            title={
              project.autoscalingEnabled
                ? `Autoscaling up to ${project.maxBuilders ?? 1} builders`
                : "Autoscaling off: one builder"
            }
          >
            Autoscaling {project.autoscalingEnabled ? "on" : "off"}
          </span>
        </div>
        <ul className="chips" aria-label="Platforms">
          {project.platforms.map((platform) => (
            <li key={platform} className="chip">
              {platform}
            </li>
          ))}
        </ul>
        <dl className="project-card__metrics">
          <div>
            <dt>Builds</dt>
            <dd>{project.builds.toLocaleString("en-US")}</dd>
          </div>
          <div>
            <dt>Success</dt>
            <dd>{formatPercent(project.successRate)}</dd>
          </div>
          <div>
            <dt>p50 duration</dt>
            <dd>{formatDuration(project.p50DurationMs)}</dd>
          </div>
        </dl>
        <div className="project-card__footer">
          {project.lastBuild ? (
            <>
              <span className="muted">Last build #{project.lastBuild.number}</span>
              <StatusBadge status={project.lastBuild.status} />
              <span className="muted">{formatRelative(project.lastBuild.createdAt, now)}</span>
            </>
          ) : (
            <span className="muted">No builds yet</span>
          )}
        </div>
      </Link>
    </li>
  );
}

export default function OrgOverviewPage({ loaderData }: Route.ComponentProps) {
  const { org, totals, projects, daily, window } = loaderData;
  // The org layout already knows the role; a button only, the create page checks again.
  const canCreateProject =
    useRouteLoaderData<typeof orgLayoutLoader>("routes/org-layout")?.can["project.create"] ?? false;
  return (
    <>
      <header className="page-header">
        <div>
          <Breadcrumb trail={[{ label: org.name }]} />
          <h1 className="page-title">Overview</h1>
        </div>
        <p className="page-header__aside">Last {window.days} days · UTC</p>
      </header>

      <section className="stats" aria-label="Last 30 days">
        <Stat label="Builds" value={totals.builds.toLocaleString("en-US")} />
        <Stat
          label="Success rate"
          value={formatPercent(totals.successRate)}
          hint="Succeeded out of succeeded and failed builds"
        />
        <Stat
          label="p50 duration"
          value={formatDuration(totals.p50DurationMs)}
          hint="Median duration of successful builds"
        />
        <Stat
          label="Cache hit rate"
          value={formatPercent(totals.cacheHitRatio)}
          hint="Share of build steps served from the layer cache"
        />
      </section>

      <section className="card panel" aria-labelledby="chart-title">
        <header className="panel__header">
          <h2 id="chart-title" className="panel__title">
            Builds per day
          </h2>
          <span className="muted">{pluralize(totals.builds, "build")}</span>
        </header>
        {totals.builds === 0 ? (
          // an empty chart (a bare axis and a legend) reads as if it failed to load
          <div className="empty-state" data-testid="no-builds-chart">
            <h3>No builds in the last 30 days</h3>
            <p>
              Run <code>slipway build</code> with an API token of this organization; each day's
              builds and their results are charted here.
            </p>
          </div>
        ) : (
          <BuildsChart daily={daily} />
        )}
      </section>

      <section aria-labelledby="projects-title">
        <header className="section-header">
          <h2 id="projects-title" className="section-title">
            Projects
          </h2>
          <span className="muted">
            {pluralize(projects.length, "project")}
            {canCreateProject ? (
              <Link
                to={`/orgs/${org.slug}/projects/new`}
                className="button button--small"
                style={{ marginLeft: 12 }}
              >
                New project
              </Link>
            ) : null}
          </span>
        </header>
        {projects.length === 0 ? (
          <div className="card empty-state">
            <h3>No projects yet</h3>
            <p>Projects of {org.name} will appear here once they are created.</p>
          </div>
        ) : (
          <ul className="project-grid">
            {projects.map((project) => (
              <ProjectCardView
                key={project.slug}
                orgSlug={org.slug}
                project={project}
                now={window.to}
              />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPage error={error} />;
}
