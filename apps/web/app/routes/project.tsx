import { Link } from "react-router";
import { requireOrgAccess } from "../../src/auth/session.server";
import { getDb } from "../../src/db.server";
import {
  formatDuration,
  formatPercent,
  formatRelative,
  formatTimestamp,
  pluralize,
} from "../../src/format";
import { isSlug, parsePageParam } from "../../src/presenters/params";
import { getProjectBuilds } from "../../src/presenters/project-builds.server";
import { ErrorPage } from "../components/error-page";
import { StatusBadge } from "../components/status-badge";
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

  const result = await getProjectBuilds(getDb(), {
    orgSlug: access.org.slug,
    projectSlug,
    page: pageParam.page,
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
  const { org, project, builds, pagination, now } = loaderData;
  const first = (pagination.page - 1) * pagination.pageSize + 1;
  const last = first + builds.length - 1;
  const pageHref = (page: number) => (page === 1 ? "?" : `?page=${page}`);
  return (
    <>
      <header className="page-header">
        <div>
          <p className="breadcrumb">
            <Link to={`/orgs/${org.slug}`}>{org.name}</Link>
            <span aria-hidden="true"> / </span>
            Projects
          </p>
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
      </header>

      <section className="card panel panel--flush" aria-labelledby="builds-title">
        <header className="panel__header">
          <h2 id="builds-title" className="panel__title">
            Builds
          </h2>
          <span className="muted">{pluralize(pagination.totalBuilds, "build")}</span>
        </header>
        {builds.length === 0 ? (
          <div className="empty-state">
            <h3>No builds yet</h3>
            <p>Builds of {project.name} will be listed here as soon as one is started.</p>
          </div>
        ) : (
          <>
            <div className="table-scroll">
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
                      <td className="mono strong">#{build.number}</td>
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
            </div>
            <nav className="pagination" aria-label="Pagination">
              <span className="muted">
                {first.toLocaleString("en-US")}–{last.toLocaleString("en-US")} of{" "}
                {pagination.totalBuilds.toLocaleString("en-US")}
              </span>
              <div className="pagination__links">
                {pagination.page > 1 ? (
                  <Link className="button button--secondary" to={pageHref(pagination.page - 1)}>
                    Previous
                  </Link>
                ) : (
                  <span className="button button--secondary" aria-disabled="true">
                    Previous
                  </span>
                )}
                <span className="muted">
                  Page {pagination.page} of {pagination.totalPages}
                </span>
                {pagination.page < pagination.totalPages ? (
                  <Link className="button button--secondary" to={pageHref(pagination.page + 1)}>
                    Next
                  </Link>
                ) : (
                  <span className="button button--secondary" aria-disabled="true">
                    Next
                  </span>
                )}
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
