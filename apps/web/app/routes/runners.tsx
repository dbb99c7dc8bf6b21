import { Link } from "react-router";
import { requireOrgAccess } from "../../src/auth/session.server";
import { formatDuration, formatTimestamp, pluralize } from "../../src/format";
import { parsePageParam } from "../../src/presenters/params";
import { RUNNER_JOBS_MAX_PAGE, RUNNER_PERIODS } from "../../src/presenters/project-options";
import { getRunners, parsePeriod, type RunnerJob } from "../../src/presenters/runners.server";
import { formatMinutes } from "../../src/presenters/units";
import { getTelemetryQueryClient } from "../../src/telemetry/query.server";
import { ErrorPage } from "../components/error-page";
import { RunnerMinutesChart, RunnerQueueChart } from "../components/runner-charts";
import { TelemetryUnavailable } from "../components/telemetry-unavailable";
import { badRequest } from "../lib/errors";
import type { Route } from "./+types/runners";
import "./project-pages.css";
import { Breadcrumb } from "../components/breadcrumb";
import { PageLink } from "../components/page-link";
import { TableScroll } from "../components/table-scroll";

export const meta: Route.MetaFunction = () => [{ title: "Runners · Slipway" }];

export async function loader({ request, params }: Route.LoaderArgs) {
  const access = await requireOrgAccess(request, params.orgSlug, "runner.read");
  const url = new URL(request.url);
  const base = `/orgs/${access.org.slug}/runners`;
  const days = parsePeriod(url.searchParams.get("days"));
  if (days === null) {
    throw badRequest({
      title: "Invalid period",
      message: `The period must be one of ${RUNNER_PERIODS.join(", ")} days.`,
      back: { href: base, label: "Show the last 30 days" },
    });
  }
  const page = parsePageParam(url.searchParams.get("page"));
  if (!page.ok || page.page > RUNNER_JOBS_MAX_PAGE) {
    throw badRequest({
      title: "Invalid page",
      message: page.ok
        ? `Jobs are listed up to page ${RUNNER_JOBS_MAX_PAGE}; narrow the period to see older ones.`
        : `The page number in this address is not valid: ${page.message}.`,
      back: { href: base, label: "Go to the first page" },
    });
  }
  const runners = await getRunners(getTelemetryQueryClient(), {
    orgId: access.org.id,
    days,
    page: page.page,
  });
  return {
    org: access.org,
    days,
    runners,
  };
}

const CONCLUSION_CLASS: Record<string, string> = {
  success: "badge badge--conclusion-success",
  failure: "badge badge--conclusion-failure",
  timed_out: "badge badge--conclusion-failure",
};

function Conclusion({ job }: { job: RunnerJob }) {
  const text = job.conclusion ?? job.status.replace("_", " ");
  return (
    <span className={CONCLUSION_CLASS[job.conclusion ?? ""] ?? "badge badge--conclusion-other"}>
      {text}
    </span>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="stat">
      <p className="stat__label">{label}</p>
      <p className="stat__value">{value}</p>
    </div>
  );
}

export default function RunnersPage({ loaderData }: Route.ComponentProps) {
  const { org, days, runners } = loaderData;
  const base = `/orgs/${org.slug}/runners`;
  const href = (q: { days?: number; page?: number }) => {
    const params = new URLSearchParams();
    const d = q.days ?? days;
    if (d !== 30) params.set("days", String(d));
    if (q.page && q.page > 1) params.set("page", String(q.page));
    const query = params.toString();
    return query ? `${base}?${query}` : base;
  };
  return (
    <>
      <header className="page-header">
        <div>
          <Breadcrumb trail={[{ label: org.name }]} />
          <h1 className="page-title">GitHub Actions runners</h1>
        </div>
        <div className="panel__actions">
          <nav className="segmented" aria-label="Period">
            {RUNNER_PERIODS.map((d) => (
              <Link key={d} to={href({ days: d })} aria-current={d === days ? "page" : undefined}>
                {d} days
              </Link>
            ))}
          </nav>
          <Link to={`${base}/webhook`} className="button button--secondary">
            Webhook setup
          </Link>
        </div>
      </header>
      <p className="muted page-intro">
        Jobs GitHub reports through the org's webhook: minutes run and time spent waiting for a
        runner, by runner label (a job with several labels counts under each).
      </p>

      {!runners.ok ? (
        <TelemetryUnavailable what="Runner insights" reason={runners.reason} />
      ) : (
        <RunnersBody runners={runners.data} href={href} webhookHref={`${base}/webhook`} />
      )}
    </>
  );
}

function RunnersBody({
  runners,
  href,
  webhookHref,
}: {
  runners: Extract<Route.ComponentProps["loaderData"]["runners"], { ok: true }>["data"];
  href: (q: { page?: number }) => string;
  webhookHref: string;
}) {
  const { labels, daily, series, jobs } = runners;
  const totalMinutes = labels.reduce((n, l) => n + l.runMinutes, 0);
  const worstP95 = labels.reduce<number | null>(
    (max, l) => (l.p95QueueMs === null ? max : Math.max(max ?? 0, l.p95QueueMs)),
    null,
  );
  const distinctJobs = Math.max(0, ...labels.map((l) => l.jobs));
  if (labels.length === 0 && jobs.rows.length === 0) {
    return (
      <div className="card empty-state" data-testid="no-runner-jobs">
        <h3>No GitHub Actions jobs in this period</h3>
        <p>
          Jobs appear here once GitHub sends them. <Link to={webhookHref}>Set up the webhook</Link>{" "}
          if you have not yet.
        </p>
      </div>
    );
  }
  return (
    <>
      <section className="stats stats--three" aria-label="Period totals">
        <Stat label="Runner minutes (all labels)" value={formatMinutes(totalMinutes)} />
        <Stat label="Jobs on the busiest label" value={distinctJobs.toLocaleString("en-US")} />
        <Stat
          label="Worst queue time p95"
          value={worstP95 === null ? "—" : formatDuration(worstP95)}
        />
      </section>

      <div className="two-charts">
        <section className="card panel" aria-labelledby="minutes-title">
          <header className="panel__header">
            <h2 id="minutes-title" className="panel__title">
              Minutes per day
            </h2>
            <span className="muted">by runner label</span>
          </header>
          <RunnerMinutesChart daily={daily} series={series} />
        </section>
        <section className="card panel" aria-labelledby="queue-title">
          <header className="panel__header">
            <h2 id="queue-title" className="panel__title">
              Queue time p95 per day
            </h2>
            <span className="muted">queued → started</span>
          </header>
          <RunnerQueueChart daily={daily} series={series} />
        </section>
      </div>

      <section className="card panel panel--flush" aria-labelledby="labels-title">
        <header className="panel__header">
          <h2 id="labels-title" className="panel__title">
            By label
          </h2>
          <span className="muted">{pluralize(labels.length, "label")}</span>
        </header>
        <TableScroll label="Minutes by runner label">
          <table className="table" data-testid="labels-table">
            <thead>
              <tr>
                <th scope="col">Label</th>
                <th scope="col" className="num">
                  Jobs
                </th>
                <th scope="col" className="num">
                  Minutes
                </th>
                <th scope="col" className="num">
                  Queue p50
                </th>
                <th scope="col" className="num">
                  Queue p95
                </th>
                <th scope="col" className="num">
                  Longest wait
                </th>
              </tr>
            </thead>
            <tbody>
              {labels.map((l) => (
                <tr key={l.label}>
                  <td className="mono strong">{l.label}</td>
                  <td className="num mono">{l.jobs.toLocaleString("en-US")}</td>
                  <td className="num mono">{formatMinutes(l.runMinutes)}</td>
                  <td className="num mono">{formatDuration(l.p50QueueMs)}</td>
                  <td className="num mono">{formatDuration(l.p95QueueMs)}</td>
                  <td className="num mono">{formatDuration(l.maxQueueMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </section>

      <section className="card panel panel--flush" aria-labelledby="jobs-title">
        <header className="panel__header">
          <h2 id="jobs-title" className="panel__title">
            Recent jobs
          </h2>
          <span className="muted">newest first</span>
        </header>
        {jobs.rows.length === 0 ? (
          <p className="empty-state">No jobs on this page.</p>
        ) : (
          <TableScroll label="Runner jobs">
            <table className="table" data-testid="jobs-table">
              <thead>
                <tr>
                  <th scope="col">Repository</th>
                  <th scope="col">Workflow · job</th>
                  <th scope="col">Labels</th>
                  <th scope="col">Runner</th>
                  <th scope="col">Queued</th>
                  <th scope="col">Started</th>
                  <th scope="col">Completed</th>
                  <th scope="col" className="num">
                    Queue
                  </th>
                  <th scope="col" className="num">
                    Duration
                  </th>
                  <th scope="col">Conclusion</th>
                </tr>
              </thead>
              <tbody>
                {jobs.rows.map((job) => (
                  <tr key={`${job.jobId}-${job.runAttempt}`}>
                    <td className="mono">{job.repository}</td>
                    <td>
                      <span className="strong">{job.workflow}</span>
                      <br />
                      <span className="muted">{job.jobName}</span>
                    </td>
                    <td>
                      <ul className="chips" aria-label="Labels">
                        {job.labels.map((label) => (
                          <li key={label} className="chip">
                            {label}
                          </li>
                        ))}
                      </ul>
                    </td>
                    <td className="muted">{job.runnerName ?? "—"}</td>
                    <td className="muted nowrap">{formatTimestamp(job.queuedAt)}</td>
                    <td className="muted nowrap">
                      {job.startedAt ? formatTimestamp(job.startedAt) : "—"}
                    </td>
                    <td className="muted nowrap">
                      {job.completedAt ? formatTimestamp(job.completedAt) : "—"}
                    </td>
                    <td className="num mono">{formatDuration(job.queueMs)}</td>
                    <td className="num mono">{formatDuration(job.durationMs)}</td>
                    <td>
                      <Conclusion job={job} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
        <nav className="pagination" aria-label="Pagination">
          <span className="muted">Page {jobs.page}</span>
          <div className="pagination__links">
            <PageLink to={jobs.page > 1 ? href({ page: jobs.page - 1 }) : undefined}>
              Previous
            </PageLink>
            <PageLink to={jobs.hasNext ? href({ page: jobs.page + 1 }) : undefined}>Next</PageLink>
          </div>
        </nav>
      </section>
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPage error={error} />;
}
