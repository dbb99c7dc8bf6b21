import { Form, Link } from "react-router";
import { requireOrgAccess } from "../../src/auth/session.server";
import { getDb } from "../../src/db.server";
import {
  formatDuration,
  formatPercent,
  formatRelative,
  formatTimestamp,
  pluralize,
} from "../../src/format";
import {
  BUILD_STATUSES,
  filtersQuery,
  parseBuildFilters,
} from "../../src/presenters/build-filters";
import { isSlug, parsePageParam } from "../../src/presenters/params";
import { getProjectBuilds } from "../../src/presenters/project-builds.server";
import { ErrorPage } from "../components/error-page";
import { ProjectTabs } from "../components/project-tabs";
import { StatusBadge } from "../components/status-badge";
import { useLivePolling } from "../components/use-live-polling";
import "../components/build-insights.css";
import { Breadcrumb } from "../components/breadcrumb";
import { PageLink } from "../components/page-link";
import { TableScroll } from "../components/table-scroll";
import { badRequest, notFound } from "../lib/errors";
import type { Route } from "./+types/project";

export async function loader({ params, request }: Route.LoaderArgs) {
  const { orgSlug, projectSlug } = params;
  const projectMissing = (orgName: string) =>
    notFound({
      title: "Project not found",
      message: `${orgName} has no project “${projectSlug}”. It may have been deleted or renamed.`,
      back: { href: `/orgs/${orgSlug}`, label: `Back to ${orgName}` },
    });
  // Sign-in first, then membership: a non-member gets the same 404 as a missing org.
  const access = await requireOrgAccess(request, orgSlug, "build.read");
  if (!isSlug(projectSlug)) throw projectMissing(access.org.name);

  const pageParam = parsePageParam(new URL(request.url).searchParams.get("page"));
  if (!pageParam.ok) {
    throw badRequest({
      title: "Invalid page",
      message: `The page number in this address is not valid: ${pageParam.message}.`,
      back: { href: `/orgs/${orgSlug}/projects/${projectSlug}`, label: "Go to the first page" },
    });
  }

  const filterParam = parseBuildFilters(new URL(request.url).searchParams);
  if (!filterParam.ok) {
    throw badRequest({
      title: "Invalid filter",
      message: `The builds filter in this address is not valid: ${filterParam.message}.`,
      back: { href: `/orgs/${orgSlug}/projects/${projectSlug}`, label: "Show all builds" },
    });
  }

  const result = await getProjectBuilds(getDb(), {
    orgSlug: access.org.slug,
    projectSlug,
    page: pageParam.page,
    filters: filterParam.filters,
  });
  switch (result.kind) {
    case "org-not-found":
      throw notFound({ title: "Organization not found", message: `No organization “${orgSlug}”.` });
    case "project-not-found":
      throw projectMissing(result.org.name);
    case "page-out-of-range":
      throw notFound({
        title: "Page not found",
        message: `This project's builds fill ${pluralize(result.totalPages, "page")}; there is no page ${pageParam.page}.`,
        back: {
          href: `/orgs/${orgSlug}/projects/${projectSlug}?page=${result.totalPages}`,
          label: "Go to the last page",
        },
      });
    case "ok":
      return { ...result.data, now: new Date().toISOString() };
  }
}

export const meta: Route.MetaFunction = ({ data }) => [
  { title: data ? `${data.project.name} · ${data.org.name} · Slipway` : "Slipway" },
];

export default function ProjectPage({ loaderData }: Route.ComponentProps) {
  const { org, project, builds, pagination, now, filters, active } = loaderData;
  // A build started from the CLI or CI must show up while the list is open: the first page (where
  // new builds land) keeps watching, slower, even when nothing runs yet; older pages only while
  // something runs.
  const live = useLivePolling(active, 3000, pagination.page === 1 ? 5000 : null);
  const base = `/orgs/${org.slug}/projects/${project.slug}`;
  const filtered = Object.keys(filters).length > 0;
  const first = (pagination.page - 1) * pagination.pageSize + 1;
  const last = first + builds.length - 1;
  const pageHref = (page: number) => filtersQuery(filters, page);
  return (
    <>
      <header className="page-header">
        <div>
          <Breadcrumb
            trail={[{ label: org.name, to: `/orgs/${org.slug}` }, { label: "Projects" }]}
          />
          <h1 className="page-title">{project.name}</h1>
          <ul className="chips chips--inline" aria-label="Project settings">
            {project.platforms.map((platform) => (
              <li key={platform} className="chip">
                {platform}
              </li>
            ))}
            {project.builderSize ? (
              <li className="chip">{project.builderSize.toLowerCase()} builder</li>
            ) : null}
            <li className={project.autoscalingEnabled ? "pill pill--on" : "pill"}>
              Autoscaling{" "}
              {project.autoscalingEnabled ? `on · up to ${project.maxBuilders ?? 1}` : "off"}
            </li>
          </ul>
        </div>
        <div className="page-header__aside">
          <Link className="button button--secondary" to={`${base}/insights`}>
            Insights
          </Link>
        </div>
      </header>
      <ProjectTabs orgSlug={org.slug} projectSlug={project.slug} />

      <section className="card panel panel--flush insights-scope" aria-labelledby="builds-title">
        <header className="panel__header">
          <h2 id="builds-title" className="panel__title">
            Builds
          </h2>
          <span className="muted">
            {pluralize(pagination.totalBuilds, "build")}
            {filtered ? " match" : ""}
            {live ? <span className="live"> · live</span> : null}
          </span>
        </header>
        <Form method="get" className="filters" aria-label="Filter builds">
          <label>
            Status
            <select
              name="status"
              className="input input--small"
              defaultValue={filters.status?.toLowerCase() ?? ""}
            >
              <option value="">Any</option>
              {BUILD_STATUSES.map((s) => (
                <option key={s} value={s.toLowerCase()}>
                  {s.charAt(0) + s.slice(1).toLowerCase()}
                </option>
              ))}
            </select>
          </label>
          <label>
            Platform
            <select
              name="platform"
              className="input input--small"
              defaultValue={filters.platform ?? ""}
            >
              <option value="">Any</option>
              {project.platforms.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </label>
          <label>
            From
            <input
              type="date"
              name="from"
              className="input input--small"
              defaultValue={filters.from ?? ""}
            />
          </label>
          <label>
            To
            <input
              type="date"
              name="to"
              className="input input--small"
              defaultValue={filters.to ?? ""}
            />
          </label>
          <label>
            Tag
            <input
              type="text"
              name="tag"
              className="input input--small"
              placeholder="acme/api:main"
              defaultValue={filters.tag ?? ""}
            />
          </label>
          <button type="submit" className="button button--secondary button--small">
            Filter
          </button>
          {filtered ? <Link to={base}>Clear</Link> : null}
        </Form>
        {builds.length === 0 && filtered ? (
          <div className="empty-state">
            <h3>No builds match</h3>
            <p>
              No build of {project.name} matches these filters.{" "}
              <Link to={base}>Show all builds</Link>
            </p>
          </div>
        ) : builds.length === 0 ? (
          <div className="empty-state" data-testid="no-builds">
            <h3>No builds yet</h3>
            <p>
              Builds of {project.name} show up here as soon as one starts, without reloading. Start
              one from a folder with a Dockerfile, with an{" "}
              <Link to={`/orgs/${org.slug}/tokens`}>API token</Link>:
            </p>
            <pre className="code-block">slipway build . --lint --project {project.slug}</pre>
          </div>
        ) : (
          <>
            <TableScroll label="Builds">
              <table className="table" data-testid="builds-table">
                <thead>
                  <tr>
                    <th scope="col">Build</th>
                    <th scope="col">Status</th>
                    <th scope="col">Branch</th>
                    <th scope="col">Platforms</th>
                    <th scope="col" className="num">
                      Duration
                    </th>
                    <th scope="col" className="num">
                      Cache hits
                    </th>
                    <th scope="col">Triggered by</th>
                    <th scope="col">When</th>
                  </tr>
                </thead>
                <tbody>
                  {builds.map((build) => (
                    <tr key={build.number}>
                      <td className="mono strong">
                        <Link to={`${base}/builds/${build.number}`}>#{build.number}</Link>
                      </td>
                      <td>
                        <StatusBadge status={build.status} />
                      </td>
                      <td>
                        {build.gitBranch ? (
                          <span className="branch">
                            <span className="mono">{build.gitBranch}</span>
                            {build.gitCommit ? (
                              <span className="mono muted"> {build.gitCommit.slice(0, 7)}</span>
                            ) : null}
                          </span>
                        ) : (
                          <span className="muted">—</span>
                        )}
                      </td>
                      <td className="muted">{build.platforms.join(", ") || "—"}</td>
                      <td className="num mono">{formatDuration(build.durationMs)}</td>
                      <td className="num mono">{formatPercent(build.cacheHitRatio)}</td>
                      <td>{build.triggeredBy}</td>
                      <td className="muted nowrap" title={formatTimestamp(build.createdAt)}>
                        {formatRelative(build.createdAt, now)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
            <nav className="pagination" aria-label="Pagination">
              <span className="muted">
                {first.toLocaleString("en-US")}–{last.toLocaleString("en-US")} of{" "}
                {pagination.totalBuilds.toLocaleString("en-US")}
              </span>
              <div className="pagination__links">
                <PageLink to={pagination.page > 1 ? pageHref(pagination.page - 1) : undefined}>
                  Previous
                </PageLink>
                <span className="muted">
                  Page {pagination.page} of {pagination.totalPages}
                </span>
                <PageLink
                  to={
                    pagination.page < pagination.totalPages
                      ? pageHref(pagination.page + 1)
                      : undefined
                  }
                >
                  Next
                </PageLink>
              </div>
            </nav>
          </>
        )}
      </section>
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPage error={error} />;
}
