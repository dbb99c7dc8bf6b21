import { data, Form, Link, useNavigation } from "react-router";
import { can } from "../../src/auth/permissions";
import { requestInfo } from "../../src/auth/request-info.server";
import { requireOrgAccess } from "../../src/auth/session.server";
import { getDb } from "../../src/db.server";
import { formatRelative, formatTimestamp, pluralize } from "../../src/format";
import { isSlug, parsePageParam } from "../../src/presenters/params";
import { getProjectCache } from "../../src/presenters/project-cache.server";
import { formatBytes } from "../../src/presenters/units";
import { getCacheEngines, resetProjectCache } from "../../src/services/cache.server";
import { fieldsOf, HTTP_STATUS, ServiceError } from "../../src/services/errors";
import { getTelemetryQueryClient } from "../../src/telemetry/query.server";
import { CacheSizeChart } from "../components/cache-size-chart";
import { ErrorPage } from "../components/error-page";
import { FormError, Notice } from "../components/forms";
import { ProjectTabs } from "../components/project-tabs";
import { TelemetryUnavailable } from "../components/telemetry-unavailable";
import { badRequest, notFound } from "../lib/errors";
import { actorOf } from "../lib/org-action.server";
import type { Route } from "./+types/cache";
import "./project-pages.css";
import { Breadcrumb } from "../components/breadcrumb";
import { TableScroll } from "../components/table-scroll";

export async function loader({ request, params }: Route.LoaderArgs) {
  const { orgSlug, projectSlug } = params;
  const access = await requireOrgAccess(request, orgSlug, "build.read");
  const missing = () =>
    notFound({
      title: "Project not found",
      message: `${access.org.name} has no project “${projectSlug}”. It may have been deleted.`,
      back: { href: `/orgs/${access.org.slug}`, label: `Back to ${access.org.name}` },
    });
  if (!isSlug(projectSlug)) throw missing();
  const url = new URL(request.url);
  const base = `/orgs/${access.org.slug}/projects/${projectSlug}/cache`;
  const page = parsePageParam(url.searchParams.get("page"));
  if (!page.ok) {
    throw badRequest({
      title: "Invalid page",
      message: `The page number in this address is not valid: ${page.message}.`,
      back: { href: base, label: "Go to the first page" },
    });
  }
  const result = await getProjectCache(
    getDb(),
    { engines: await getCacheEngines(), telemetry: getTelemetryQueryClient() },
    {
      orgId: access.org.id,
      projectSlug,
      platform: url.searchParams.get("platform"),
      page: page.page,
    },
  );
  switch (result.kind) {
    case "project-not-found":
      throw missing();
    case "platform-not-built":
      throw badRequest({
        title: "Unknown platform",
        message: `This project builds for ${result.platforms.join(", ")}.`,
        back: { href: base, label: "Show its first platform" },
      });
    case "page-out-of-range":
      throw notFound({
        title: "Page not found",
        message: `The cache records fill ${pluralize(result.totalPages, "page")}.`,
        back: { href: base, label: "Go to the first page" },
      });
    case "ok":
      return {
        org: access.org,
        view: result.view,
        canReset: can(access.role, "cache.reset"),
        now: new Date().toISOString(),
      };
  }
}

export const meta: Route.MetaFunction = ({ data }) => [
  { title: data ? `Cache · ${data.view.project.name} · Slipway` : "Slipway" },
];

interface ActionData {
  errors?: Record<string, string | undefined>;
  formError?: string;
  notice?: string;
}

export async function action({ request, params }: Route.ActionArgs) {
  const { intent, platform, confirm } = fieldsOf(await request.formData(), [
    "intent",
    "platform",
    "confirm",
  ]);
  if (intent !== "reset") {
    return data<ActionData>({ formError: "Unknown action. Reload the page." }, { status: 400 });
  }
  try {
    const access = await requireOrgAccess(request, params.orgSlug, "cache.reset");
    if (confirm !== "on") {
      throw new ServiceError(
        "BAD_REQUEST",
        "Tick the box to confirm: the next build starts without cache.",
        "confirm",
      );
    }
    const reset = await resetProjectCache(
      getDb(),
      actorOf(access, requestInfo(request)),
      { projectSlug: params.projectSlug, platform },
      await getCacheEngines(),
    );
    const result: ActionData = {
      notice: `Cache of ${reset.platform} reset: ${pluralize(reset.deletedCount, "record")} deleted, ${formatBytes(reset.reclaimedBytes)} freed.`,
    };
    return result;
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    const body: ActionData = error.field
      ? { errors: { [error.field]: error.message } }
      : { formError: error.message };
    return data(body, { status: HTTP_STATUS[error.code] });
  }
}

function Stat({
  label,
  value,
  hint,
  note,
}: {
  label: string;
  value: string;
  hint?: string;
  /** Shown under the value: where the figure comes from when that is not obvious. */
  note?: string;
}) {
  return (
    <div className="stat" title={hint}>
      <p className="stat__label">{label}</p>
      <p className="stat__value">{value}</p>
      {note ? <p className="stat__note">{note}</p> : null}
    </div>
  );
}

export default function CachePage({ loaderData, actionData }: Route.ComponentProps) {
  const { org, view, canReset, now } = loaderData;
  const result = actionData as ActionData | undefined;
  const busy = useNavigation().state === "submitting";
  const { live, project } = view;
  const base = `/orgs/${org.slug}/projects/${project.slug}/cache`;
  const hrefFor = (q: { platform?: string; page?: number }) => {
    const params = new URLSearchParams();
    const platform = q.platform ?? view.platform;
    if (platform !== project.platforms[0]) params.set("platform", platform);
    if (q.page && q.page > 1) params.set("page", String(q.page));
    const query = params.toString();
    return query ? `${base}?${query}` : base;
  };
  // With no builder running, the last cache snapshot is the best answer to "how big is it now".
  const lastSnapshot = view.trend.ok ? view.trend.data.at(-1) : undefined;
  const sizeNow = live.running ? live.totalBytes : lastSnapshot?.sizeBytes;
  const sizeNote = live.running
    ? "main builder, live"
    : lastSnapshot
      ? `last snapshot, ${lastSnapshot.day}`
      : "no builder running";
  const usedShare = sizeNow === undefined ? null : sizeNow / view.limitBytes;
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
          <h1 className="page-title">Cache</h1>
        </div>
        {project.platforms.length > 1 ? (
          <nav className="segmented" aria-label="Platform">
            {project.platforms.map((platform) => (
              <Link
                key={platform}
                to={hrefFor({ platform })}
                aria-current={platform === view.platform ? "page" : undefined}
                className="mono"
              >
                {platform}
              </Link>
            ))}
          </nav>
        ) : null}
      </header>
      <ProjectTabs orgSlug={org.slug} projectSlug={project.slug} />

      {result?.notice ? <Notice>{result.notice}</Notice> : null}
      {result?.formError ? <FormError message={result.formError} /> : null}

      <section className="stats" aria-label={`Cache of ${view.platform}`}>
        <Stat
          label="Size now"
          value={sizeNow === undefined ? "—" : formatBytes(sizeNow)}
          hint="The main builder's BuildKit cache, when it runs; otherwise its last snapshot"
          note={sizeNote}
        />
        <Stat
          label="Limit"
          value={formatBytes(view.limitBytes)}
          hint="Pruned to this size when the main builder goes idle"
        />
        <Stat label="Used" value={usedShare === null ? "—" : `${Math.round(usedShare * 100)}%`} />
        <Stat
          label="Reclaimable"
          value={
            live.running
              ? formatBytes(live.reclaimableBytes)
              : lastSnapshot
                ? formatBytes(lastSnapshot.reclaimableBytes)
                : "—"
          }
          hint="Not in use and not shared: what a prune can free"
        />
      </section>

      <section className="card panel" aria-labelledby="trend-title">
        <header className="panel__header">
          <h2 id="trend-title" className="panel__title">
            Size over the last 30 days
          </h2>
          <span className="muted">
            Limit {formatBytes(view.limitBytes)} · retention {view.retentionDays} days
          </span>
        </header>
        {view.trend.ok ? (
          view.trend.data.length === 0 ? (
            <p className="empty-state">
              No cache snapshots yet. Builders report their cache size after builds.
            </p>
          ) : (
            <CacheSizeChart points={view.trend.data} limitBytes={view.limitBytes} />
          )
        ) : (
          <TelemetryUnavailable what="Cache history" reason={view.trend.reason} />
        )}
      </section>

      <section className="card panel panel--flush" aria-labelledby="builders-title">
        <header className="panel__header">
          <h2 id="builders-title" className="panel__title">
            Builders
          </h2>
          <span className="muted">Running on this server now</span>
        </header>
        {!view.builders.ok ? (
          <div className="panel">
            <TelemetryUnavailable what="Builder status" reason={view.builders.reason} />
          </div>
        ) : view.builders.engines.length === 0 ? (
          <div className="empty-state" data-testid="no-builders">
            <h3>No builder running</h3>
            <p>
              Builders start with the next build and stop when idle; the main builder's cache stays
              on disk in between.
            </p>
          </div>
        ) : (
          <TableScroll label="Running builders">
            <table className="table" data-testid="builders-table">
              <thead>
                <tr>
                  <th scope="col">Builder</th>
                  <th scope="col">Platform</th>
                  <th scope="col">Role</th>
                  <th scope="col">State</th>
                  <th scope="col" className="num">
                    Builds running
                  </th>
                  <th scope="col">Cache</th>
                </tr>
              </thead>
              <tbody>
                {view.builders.engines.map((engine) => {
                  const snapshot = view.builders.ok
                    ? view.builders.snapshots.find((s) => s.platform === engine.platform)
                    : undefined;
                  return (
                    <tr key={engine.id}>
                      <td className="mono">{engine.id}</td>
                      <td className="mono">{engine.platform}</td>
                      <td>{engine.kind === "main" ? "Main" : "Clone"}</td>
                      <td>{engine.state === "ready" ? "Ready" : "Starting"}</td>
                      <td className="num mono">{engine.runningBuilds}</td>
                      <td className="muted">
                        {engine.kind === "main"
                          ? engine.platform === view.platform && live.running
                            ? `${formatBytes(live.totalBytes)} (the shared cache)`
                            : "The shared cache"
                          : snapshot
                            ? `Copy from ${formatTimestamp(snapshot.takenAt)}, not written back`
                            : "Copy of the main cache, not written back"}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableScroll>
        )}
      </section>

      <section className="card panel panel--flush" aria-labelledby="records-title">
        <header className="panel__header">
          <h2 id="records-title" className="panel__title">
            Cache records · <span className="mono">{view.platform}</span>
          </h2>
          {live.running ? (
            <span className="muted">
              {pluralize(live.count, "record")} · {formatBytes(live.sharedBytes)} shared ·{" "}
              {formatBytes(live.inUseBytes)} in use
            </span>
          ) : null}
        </header>
        {!live.running ? (
          <div className="empty-state" data-testid="no-builder-running">
            <h3>No builder running for {view.platform}</h3>
            <p>
              {live.reason
                ? `The builders could not be asked: ${live.reason}`
                : "The records of the cache can be listed while the main builder runs. Run a build to start it."}
            </p>
          </div>
        ) : live.records.length === 0 ? (
          <p className="empty-state">The cache is empty.</p>
        ) : (
          <>
            <TableScroll label="Cache records">
              <table className="table" data-testid="records-table">
                <thead>
                  <tr>
                    <th scope="col">Type</th>
                    <th scope="col">Description</th>
                    <th scope="col" className="num">
                      Size
                    </th>
                    <th scope="col">Last used</th>
                    <th scope="col" className="num">
                      Uses
                    </th>
                    <th scope="col">Flags</th>
                  </tr>
                </thead>
                <tbody>
                  {live.records.map((record) => (
                    <tr key={record.id}>
                      <td className="mono">{record.type}</td>
                      <td
                        className="muted"
                        style={{ maxWidth: 420, overflow: "hidden", textOverflow: "ellipsis" }}
                        title={record.description ?? undefined}
                      >
                        {record.description ?? record.id.slice(0, 12)}
                      </td>
                      <td className="num mono">{formatBytes(record.sizeBytes)}</td>
                      <td className="muted">
                        {record.lastUsedAt ? formatRelative(record.lastUsedAt, now) : "Never"}
                      </td>
                      <td className="num mono">{record.usageCount}</td>
                      <td>
                        {record.shared ? <span className="flag flag--on">shared</span> : null}
                        {record.inUse ? <span className="flag flag--on">in use</span> : null}
                        {!record.shared && !record.inUse ? (
                          <span className="flag">reclaimable</span>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
            {live.totalPages > 1 ? (
              <nav className="pagination" aria-label="Pagination">
                <span className="muted">
                  Page {live.page} of {live.totalPages}, largest first
                </span>
                <div className="pagination__links">
                  {live.page > 1 ? (
                    <Link
                      className="button button--secondary"
                      to={hrefFor({ page: live.page - 1 })}
                    >
                      Previous
                    </Link>
                  ) : null}
                  {live.page < live.totalPages ? (
                    <Link
                      className="button button--secondary"
                      to={hrefFor({ page: live.page + 1 })}
                    >
                      Next
                    </Link>
                  ) : null}
                </div>
              </nav>
            ) : null}
          </>
        )}
      </section>

      {canReset ? (
        <section className="card panel danger-zone" aria-labelledby="reset-title">
          <h2 id="reset-title" className="section-title">
            Reset the cache of {view.platform}
          </h2>
          <p className="muted">
            Deletes every record of the main builder's cache. The next build of {project.name} on{" "}
            {view.platform} runs every step again. Use it when a cache holds something wrong.
          </p>
          <Form method="post" className="form form--narrow">
            <input type="hidden" name="intent" value="reset" />
            <input type="hidden" name="platform" value={view.platform} />
            <label className="choice">
              <input
                type="checkbox"
                name="confirm"
                aria-describedby={result?.errors?.confirm ? "confirm-error" : undefined}
              />
              <span className="choice__label">
                <span className="choice__title">I understand the next build starts cold</span>
              </span>
            </label>
            {result?.errors?.confirm ? (
              <p id="confirm-error" className="field__error" data-testid="confirm-error">
                {result.errors.confirm}
              </p>
            ) : null}
            {result?.errors?.platform ? (
              <p className="field__error">{result.errors.platform}</p>
            ) : null}
            <div>
              <button type="submit" className="button button--danger" disabled={busy}>
                Reset cache
              </button>
            </div>
          </Form>
        </section>
      ) : null}
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPage error={error} />;
}
