import { useEffect, useState } from "react";
import { Link, type ShouldRevalidateFunctionArgs, useSearchParams } from "react-router";
import { requireOrgAccess } from "../../src/auth/session.server";
import { getDb } from "../../src/db.server";
import { formatDuration, formatPercent, formatTimestamp, pluralize } from "../../src/format";
import { formatBytes } from "../../src/insights/format-bytes";
import { stepIdOf } from "../../src/insights/steps";
import type { WaterfallStep } from "../../src/insights/waterfall";
import type { Telemetry } from "../../src/presenters/build-lookup.server";
import { parseBuildNumber } from "../../src/presenters/build-lookup.server";
import {
  type BuildPage,
  getBuildPage,
  type StepDetail,
} from "../../src/presenters/build-page.server";
import { isSlug, parseStepId } from "../../src/presenters/params";
import { Breadcrumb } from "../components/breadcrumb";
import { BuildWaterfall } from "../components/build-waterfall";
import { DockerfileView, lineAnchor } from "../components/dockerfile-view";
import { ErrorPage } from "../components/error-page";
import { ResourceCharts } from "../components/resource-chart";
import { StatusBadge } from "../components/status-badge";
import { TelemetryUnavailable } from "../components/telemetry-unavailable";
import { useLivePolling } from "../components/use-live-polling";
import { badRequest, notFound } from "../lib/errors";
import type { Route } from "./+types/build";

export async function loader({ params, request }: Route.LoaderArgs) {
  const { orgSlug, projectSlug } = params;
  const access = await requireOrgAccess(request, orgSlug, "build.read");
  const projectHref = `/orgs/${orgSlug}/projects/${projectSlug}`;
  const number = parseBuildNumber(params.number);
  if (number === null) {
    throw badRequest({
      title: "Invalid build number",
      message: `“${params.number}” is not a build number: build numbers are whole numbers starting at 1.`,
      back: { href: projectHref, label: "Back to the builds" },
    });
  }
  const projectMissing = (orgName: string) =>
    notFound({
      title: "Project not found",
      message: `${orgName} has no project “${projectSlug}”.`,
      back: { href: `/orgs/${orgSlug}`, label: `Back to ${orgName}` },
    });
  if (!isSlug(projectSlug)) throw projectMissing(access.org.name);
  // `?step=<id>`: the page opens with that step's detail (how the waterfall works without JS)
  const step = parseStepId(new URL(request.url).searchParams.get("step"));
  const result = await getBuildPage(getDb(), {
    orgSlug: access.org.slug,
    projectSlug,
    number,
    step,
  });
  switch (result.kind) {
    case "org-not-found":
      throw notFound({ title: "Organization not found", message: `No organization “${orgSlug}”.` });
    case "project-not-found":
      throw projectMissing(result.org.name);
    case "build-not-found":
      throw notFound({
        title: "Build not found",
        message: `${result.project.name} has no build #${number}.`,
        back: { href: projectHref, label: `Back to ${result.project.name}` },
      });
    case "ok":
      return result.data;
  }
}

/**
 * Opening another step changes only `?step=`: the panel loads that step's detail itself (the
 * `builds.step` procedure), the page's data stays. Reloads (live polling) and every other change
 * run the loader.
 */
export function shouldRevalidate({
  currentUrl,
  nextUrl,
  formMethod,
  defaultShouldRevalidate,
}: ShouldRevalidateFunctionArgs) {
  if (formMethod || currentUrl.pathname !== nextUrl.pathname) return defaultShouldRevalidate;
  if (currentUrl.search === nextUrl.search) return defaultShouldRevalidate;
  const withoutStep = (url: URL) => {
    const params = new URLSearchParams(url.search);
    params.delete("step");
    params.sort();
    return params.toString();
  };
  return withoutStep(currentUrl) === withoutStep(nextUrl) ? false : defaultShouldRevalidate;
}

export const meta: Route.MetaFunction = ({ data }) => [
  { title: data ? `#${data.build.number} · ${data.project.name} · Slipway` : "Slipway" },
];

const TABS = [
  { id: "steps", label: "Steps" },
  { id: "lint", label: "Lint" },
  { id: "context", label: "Context" },
  { id: "resources", label: "CPU & memory" },
] as const;
type Tab = (typeof TABS)[number]["id"];

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Summary({ data }: { data: BuildPage }) {
  const { build } = data;
  return (
    <section className="card panel" aria-label="Build summary">
      <dl className="build-facts">
        <Fact label="Duration">{formatDuration(build.durationMs)}</Fact>
        <Fact label="Queue time">{formatDuration(build.queueMs)}</Fact>
        <Fact label="Cache hits">
          {formatPercent(build.cacheHitRatio)}{" "}
          <span className="muted">
            ({build.cachedStepCount}/{build.stepCount})
          </span>
        </Fact>
        <Fact label="Platforms">
          {build.platforms.join(", ") || "—"}
          {build.emulated ? <span className="muted"> (emulated)</span> : null}
        </Fact>
        <Fact label="Image size">{formatBytes(build.imageSizeBytes)}</Fact>
        <Fact label="Triggered by">{build.triggeredBy}</Fact>
        <Fact label="Dockerfile">
          <span className="mono">{build.dockerfilePath}</span>
          {build.target ? <span className="muted"> → {build.target}</span> : null}
        </Fact>
        <Fact label="Tags">
          {build.tags.length === 0 ? "—" : <span className="mono">{build.tags.join(", ")}</span>}
        </Fact>
      </dl>
      {build.error ? (
        <pre className="code-block" style={{ marginTop: 12 }}>
          {build.error}
        </pre>
      ) : null}
    </section>
  );
}

type DetailState =
  | { key: string; status: "loading" }
  | { key: string; status: "done"; detail: Telemetry<StepDetail> }
  | { key: string; status: "failed"; message: string };

/**
 * The detail of step `id`: the loader's when the page was opened with it (`?step=`), else
 * from the `builds.step` procedure (each step once per page view).
 */
function useStepDetail(
  ref: { orgSlug: string; projectSlug: string; number: number },
  id: string | null,
  initial: StepDetail | null,
): DetailState | null {
  const [state, setState] = useState<DetailState | null>(null);
  const [cache] = useState(() => new Map<string, Telemetry<StepDetail>>());
  const fromLoader = id !== null && initial?.id === id;
  const { orgSlug, projectSlug, number } = ref;
  // the page stays mounted from build to build, and builds share the digests of cached steps
  const key = `${orgSlug}/${projectSlug}/${number}/${id}`;
  useEffect(() => {
    if (id === null || fromLoader) return;
    const cached = cache.get(key);
    if (cached) {
      setState({ key, status: "done", detail: cached });
      return;
    }
    setState({ key, status: "loading" });
    const controller = new AbortController();
    const input = encodeURIComponent(JSON.stringify({ orgSlug, projectSlug, number, step: id }));
    fetch(`/api/trpc/builds.step?input=${input}`, {
      signal: controller.signal,
      headers: { accept: "application/json" },
    })
      .then(async (response) => {
        const body = (await response.json().catch(() => null)) as {
          result?: { data?: Telemetry<StepDetail> };
          error?: { message?: string };
        } | null;
        const detail = body?.result?.data;
        if (!response.ok || !detail) {
          throw new Error(body?.error?.message ?? `the server answered ${response.status}`);
        }
        cache.set(key, detail);
        setState({ key, status: "done", detail });
      })
      .catch((err: unknown) => {
        if (controller.signal.aborted) return;
        const message = err instanceof Error ? err.message : String(err);
        setState({ key, status: "failed", message });
      });
    return () => controller.abort();
  }, [key, orgSlug, projectSlug, number, id, fromLoader, cache]);
  if (id === null) return null;
  if (fromLoader && initial) return { key, status: "done", detail: { ok: true, data: initial } };
  return state?.key === key ? state : { key, status: "loading" };
}

function StepPanel({
  step,
  state,
  historyHref,
}: {
  /** The selected step's bar (sent with the page), shown while its detail loads. */
  step: WaterfallStep | null;
  state: DetailState | null;
  historyHref: (name: string) => string;
}) {
  if (!step) {
    return (
      <aside className="card panel step-detail" aria-label="Step detail">
        <h2 className="panel__title">Step detail</h2>
        <p className="muted">
          Select a step in the waterfall to see its timing against its usual duration.
        </p>
      </aside>
    );
  }
  const detail = state?.status === "done" && state.detail.ok ? state.detail.data : null;
  const pending =
    state?.status === "loading" ? (
      <span className="muted">loading…</span>
    ) : (
      <span className="muted">unavailable</span>
    );
  const p50Ms = detail?.p50Ms ?? null;
  const delta = step.durationMs !== null && p50Ms !== null ? step.durationMs - p50Ms : null;
  return (
    <aside
      className="card panel step-detail"
      aria-label="Step detail"
      aria-busy={state?.status === "loading" || undefined}
      data-testid="step-detail"
    >
      <h2 className="panel__title">Step detail</h2>
      <pre>{step.label}</pre>
      {state?.status === "failed" ? (
        <p className="muted" role="alert">
          The step's detail could not be loaded: {state.message}
        </p>
      ) : state?.status === "done" && !state.detail.ok ? (
        <p className="muted">The step's detail is unavailable: {state.detail.reason}</p>
      ) : null}
      <dl>
        {detail && detail.name !== detail.label ? (
          <>
            <dt>Vertex</dt>
            <dd className="mono">{detail.name}</dd>
          </>
        ) : null}
        <dt>Stage</dt>
        <dd>{detail ? detail.lane : pending}</dd>
        <dt>Dockerfile line</dt>
        <dd>{step.dockerfileLine ?? "— (not a Dockerfile instruction)"}</dd>
        <dt>Duration</dt>
        <dd>{step.cached ? "cached" : formatDuration(step.durationMs)}</dd>
        <dt>p50 (30 days)</dt>
        <dd>
          {detail ? formatDuration(p50Ms) : pending}
          {delta !== null && delta !== 0 && !step.cached ? (
            <span className={delta > 0 ? "slower" : "faster"}>
              {" "}
              ({delta > 0 ? "+" : "−"}
              {formatDuration(Math.abs(delta))})
            </span>
          ) : null}
          {detail?.baselineError ? <span className="muted"> ({detail.baselineError})</span> : null}
        </dd>
        <dt>Cached</dt>
        <dd>{step.cached ? "yes" : "no"}</dd>
        <dt>Critical path</dt>
        <dd>{step.critical ? "yes" : "no"}</dd>
        <dt>Started</dt>
        <dd>
          {!detail
            ? pending
            : detail.startedAt
              ? formatTimestamp(detail.startedAt)
              : "did not start"}
        </dd>
        {detail && detail.inputs.length > 0 ? (
          <>
            <dt>Depends on</dt>
            <dd>
              <ul className="step-detail__inputs">
                {detail.inputs.map((input) => (
                  <li key={input.digest} className="mono">
                    {input.label}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
      </dl>
      {step.failed ? (
        <>
          <h3 className="panel__title">Error</h3>
          {detail ? <pre>{detail.error}</pre> : <p>{pending}</p>}
        </>
      ) : null}
      <h3 className="panel__title">Logs</h3>
      {detail ? <StepLogs step={step} logs={detail.logs} /> : <p>{pending}</p>}
      <Link to={historyHref(step.label)}>History of this step (last 50 builds)</Link>
    </aside>
  );
}

function StepLogs({ step, logs }: { step: WaterfallStep; logs: StepDetail["logs"] }) {
  if (!logs.ok) return <p className="muted">The logs are unavailable: {logs.reason}</p>;
  const { gutter, runs, lineCount, truncated } = logs.data;
  if (lineCount === 0) {
    return (
      <p className="muted">
        {step.cached
          ? "Cached: the step did not run, so it printed nothing."
          : "The step printed nothing."}
      </p>
    );
  }
  return (
    <>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be keyboard-reachable (axe: scrollable-region-focusable) */}
      <section className="step-logs" tabIndex={0} aria-label="Step logs" data-testid="step-logs">
        {/* each line's time from the step's start, beside its line (neither wraps) */}
        <pre className="step-logs__gutter" aria-hidden="true">
          {gutter}
        </pre>
        <pre className="step-logs__text">
          {runs.map((run, index) =>
            run.stream === "stdout" ? (
              run.text
            ) : (
              // runs have no identity beyond their place; the list is replaced, never reordered
              // biome-ignore lint/suspicious/noArrayIndexKey: see above
              <span key={index} className={`step-logs__${run.stream}`}>
                {run.stream === "stderr" ? <span className="visually-hidden">stderr: </span> : null}
                {run.text}
              </span>
            ),
          )}
        </pre>
      </section>
      {truncated ? (
        <p className="muted" data-testid="step-logs-truncated">
          The step printed more than Slipway keeps (64 KiB): these are its first and last lines, the
          marked line says how much was left out between them. The CLI shows everything while the
          build runs (<code>--progress plain</code>).
        </p>
      ) : null}
    </>
  );
}

function WhySlowPanel({ data }: { data: BuildPage }) {
  if (!data.trace.ok) return null;
  const { whySlow, criticalMs } = data.trace.data;
  return (
    <section className="card panel" aria-labelledby="why-title" data-testid="why-slow">
      <header className="panel__header">
        <h2 id="why-title" className="panel__title">
          Why was this slow?
        </h2>
        <span className="muted">critical path {formatDuration(criticalMs)}</span>
      </header>
      {whySlow.misses.length === 0 ? (
        <p className="muted">Every Dockerfile step came from the cache.</p>
      ) : (
        <>
          <h3 className="section-title" style={{ fontSize: 13 }}>
            Where the cache was lost
          </h3>
          <ul className="why-list">
            {whySlow.misses.map((m) => (
              <li key={m.lane + m.digest}>
                <strong>{m.lane}</strong>: <code>{m.name}</code>
                {m.dockerfileLine !== null ? (
                  <span className="muted"> (line {m.dockerfileLine})</span>
                ) : null}{" "}
                <span className="muted">
                  after {pluralize(m.cachedBefore, "cached step")}, {pluralize(m.ranAfter, "step")}{" "}
                  ran
                </span>
                <div>{m.reason}</div>
              </li>
            ))}
          </ul>
        </>
      )}
      {whySlow.overBaseline.length > 0 ? (
        <>
          <h3 className="section-title" style={{ fontSize: 13, marginTop: 16 }}>
            Steps most over their usual time
          </h3>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Step</th>
                <th scope="col" className="num">
                  This build
                </th>
                <th scope="col" className="num">
                  p50 (30 days)
                </th>
                <th scope="col" className="num">
                  Over
                </th>
              </tr>
            </thead>
            <tbody>
              {whySlow.overBaseline.map((s) => (
                <tr key={s.digest}>
                  <td className="mono">{s.name}</td>
                  <td className="num mono">{formatDuration(s.durationMs)}</td>
                  <td className="num mono">{formatDuration(s.p50Ms)}</td>
                  <td className="num mono slower">
                    +{formatDuration(s.overMs)}
                    {s.ratio !== null ? ` (${s.ratio.toFixed(1)}×)` : ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      {data.trace.data.baselineError ? (
        <p className="muted">Usual step times unavailable: {data.trace.data.baselineError}</p>
      ) : null}
    </section>
  );
}

/** The bar of step `id` (its bar's id, or its digest as the API names it), if the waterfall has it. */
function barStep(data: BuildPage, id: string | null): WaterfallStep | null {
  if (id === null || !data.trace.ok) return null;
  const want = stepIdOf(id);
  for (const lane of data.trace.data.waterfall.lanes) {
    for (const bar of lane.bars) if (bar.step.id === want) return bar.step;
  }
  return null;
}

function StepsTab({ data }: { data: BuildPage }) {
  // The open step is in the URL (`?step=`), so the page without JavaScript (the rows submit a GET
  // form) and a shared link open it too; `?steps=all` renders every row with the document.
  const [searchParams, setSearchParams] = useSearchParams();
  const selected = parseStepId(searchParams.get("step"));
  const showAll = searchParams.get("steps") === "all";
  const state = useStepDetail(
    { orgSlug: data.org.slug, projectSlug: data.project.slug, number: data.build.number },
    selected,
    data.selectedStep,
  );
  const base = `/orgs/${data.org.slug}/projects/${data.project.slug}`;
  if (!data.trace.ok) return <TelemetryUnavailable what="Build trace" reason={data.trace.reason} />;
  const { waterfall, stepCount } = data.trace.data;
  if (stepCount === 0) {
    return (
      <div className="card empty-state">
        <h3>No steps recorded</h3>
        <p>
          {data.build.status === "QUEUED"
            ? "The build is waiting for a builder."
            : data.telemetryPending
              ? "The build's steps are on their way; they show here in a moment."
              : "This build sent no step telemetry (it may have ended before BuildKit started)."}
        </p>
      </div>
    );
  }
  const showAllParams = new URLSearchParams(searchParams);
  showAllParams.set("steps", "all");
  const onSelect = (digest: string) =>
    setSearchParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        next.set("step", digest);
        return next;
      },
      { replace: true, preventScrollReset: true },
    );
  return (
    <div className="build-layout">
      <section className="card panel" aria-labelledby="waterfall-title">
        <header className="panel__header">
          <h2 id="waterfall-title" className="panel__title">
            Steps
          </h2>
          <span className="muted">
            {pluralize(stepCount, "step")} · {formatDuration(waterfall.totalMs)}
          </span>
        </header>
        <BuildWaterfall
          waterfall={waterfall}
          selected={selected}
          onSelect={onSelect}
          showAll={showAll}
          showAllHref={`?${showAllParams}`}
          keep={showAll ? [["steps", "all"]] : []}
        />
      </section>
      <StepPanel
        step={barStep(data, selected)}
        state={state}
        historyHref={(name) => `${base}/steps?name=${encodeURIComponent(name)}`}
      />
    </div>
  );
}

function LintTab({ data }: { data: BuildPage }) {
  const { dockerfile } = data;
  if (!data.lint.ok) {
    // the findings come from ingest, the Dockerfile from the build row: show what there is
    return (
      <>
        <TelemetryUnavailable what="Lint findings" reason={data.lint.reason} />
        {dockerfile ? (
          <section className="card panel" aria-label="Dockerfile" data-testid="lint">
            <DockerfileView path={dockerfile.path} text={dockerfile.text} findings={[]} />
          </section>
        ) : null}
      </>
    );
  }
  const { findings } = data.lint.data;
  return (
    <section className="card panel" aria-labelledby="lint-title" data-testid="lint">
      <header className="panel__header">
        <h2 id="lint-title" className="panel__title">
          Lint findings
        </h2>
        <span className="muted">{pluralize(findings.length, "finding")}</span>
      </header>
      {dockerfile ? (
        <DockerfileView
          path={dockerfile.path}
          text={dockerfile.text}
          findings={findings.flatMap((f, index) =>
            f.file === dockerfile.path ? [{ ...f, anchor: findingAnchor(index) }] : [],
          )}
        />
      ) : (
        <p className="muted">
          This build is from before Slipway kept the Dockerfile's text, so each finding shows its
          line as the build ran it (when a build step came from that line).
        </p>
      )}
      {findings.length === 0 ? (
        <p>No lint findings for this build (or it was built without linting).</p>
      ) : (
        <ul className="lint-list">
          {findings.map((f, index) => (
            <li
              key={`${f.file}:${f.line}:${f.code}`}
              id={findingAnchor(index)}
              data-testid="lint-finding"
            >
              <span className={`lint-level lint-level--${f.level}`}>{f.level}</span>
              <strong className="mono">{f.code}</strong>{" "}
              {dockerfile && f.file === dockerfile.path ? (
                <a className="mono" href={`#${lineAnchor(f.line)}`}>
                  {f.file}:{f.line}
                </a>
              ) : (
                <span className="mono muted">
                  {f.file}:{f.line}
                </span>
              )}
              <div>{f.message}</div>
              {f.source ? (
                <pre className="lint-source" data-testid="lint-source">
                  <span className="lint-source__line">
                    <span className="visually-hidden">line </span>
                    {f.line}
                  </span>
                  <mark>{f.source}</mark>
                </pre>
              ) : null}
              {f.rule ? (
                <details>
                  <summary>Why this matters</summary>
                  <p>{f.rule.explanation}</p>
                  {f.rule.fix ? <p>Fix: {f.rule.fix}</p> : null}
                  {f.rule.url ? (
                    <a href={f.rule.url} rel="noreferrer" target="_blank">
                      Reference
                    </a>
                  ) : null}
                </details>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const findingAnchor = (index: number) => `finding-${index + 1}`;

function ContextTab({ data }: { data: BuildPage }) {
  const { context } = data.build;
  if (context.bytes === null) {
    return (
      <div className="card empty-state">
        <h3>No context recorded</h3>
        <p>
          This build did not report the context it sent (older CLI, or it failed before upload).
        </p>
      </div>
    );
  }
  return (
    <section className="card panel" aria-labelledby="context-title" data-testid="context">
      <header className="panel__header">
        <h2 id="context-title" className="panel__title">
          Context sent
        </h2>
        <span className="muted">
          {formatBytes(context.bytes)} ·{" "}
          {context.fileCount === null ? "—" : pluralize(context.fileCount, "file")}
        </span>
      </header>
      <table className="table">
        <caption className="visually-hidden">Largest paths of the build context</caption>
        <thead>
          <tr>
            <th scope="col">Path</th>
            <th scope="col">Kind</th>
            <th scope="col" className="num">
              Size
            </th>
            <th scope="col" className="num">
              Share
            </th>
          </tr>
        </thead>
        <tbody>
          {context.largest.map((e) => (
            <tr key={`${e.kind}:${e.path}`}>
              <td className="mono">{e.path}</td>
              <td className="muted">{e.kind}</td>
              <td className="num mono">{formatBytes(e.bytes)}</td>
              <td className="num mono">
                {formatPercent(context.bytes ? e.bytes / context.bytes : null)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function ResourcesTab({ data }: { data: BuildPage }) {
  const { resources } = data.build;
  return (
    <section className="card panel" aria-labelledby="resources-title" data-testid="resources">
      <header className="panel__header">
        <h2 id="resources-title" className="panel__title">
          Builder CPU and memory
        </h2>
        <span className="muted">
          peak {formatBytes(resources.peakMemoryBytes)} of {formatBytes(resources.memoryLimitBytes)}
        </span>
      </header>
      {resources.oomKilled ? (
        <div className="warning-banner" role="alert">
          Out of memory: the builder hit its memory limit during this build and a process was
          killed. Use a larger builder size, or lower the parallelism of the heavy step.
        </div>
      ) : null}
      {resources.samples.length === 0 ? (
        <p className="muted">This build recorded no CPU or memory samples.</p>
      ) : (
        <ResourceCharts samples={resources.samples} memoryLimitBytes={resources.memoryLimitBytes} />
      )}
    </section>
  );
}

export default function BuildRoute({ loaderData }: Route.ComponentProps) {
  const data = loaderData;
  const { build, org, project, neighbours } = data;
  const [searchParams] = useSearchParams();
  const tab: Tab = TABS.find((t) => t.id === searchParams.get("tab"))?.id ?? "steps";
  // while it runs, and for the moments its steps take through ingest's queue once it has ended
  const live = useLivePolling(
    build.status === "RUNNING" || build.status === "QUEUED" || data.telemetryPending,
    data.telemetryPending ? 1500 : 3000,
  );
  const base = `/orgs/${org.slug}/projects/${project.slug}`;
  return (
    <div className="insights-scope">
      <header className="page-header">
        <div>
          <Breadcrumb
            trail={[
              { label: org.name, to: `/orgs/${org.slug}` },
              { label: project.name, to: base },
              { label: "Builds" },
            ]}
          />
          <h1 className="page-title">
            Build #{build.number} <StatusBadge status={build.status} />
          </h1>
          <p className="muted">
            {build.gitBranch ? <span className="mono">{build.gitBranch} </span> : null}
            {build.gitCommit ? (
              <span className="mono">{build.gitCommit.slice(0, 7)} · </span>
            ) : null}
            queued {formatTimestamp(build.queuedAt)}
            {live ? <span className="live"> · live</span> : null}
          </p>
        </div>
        <div className="page-header__aside" style={{ display: "flex", gap: 8, flexWrap: "wrap" }}>
          {neighbours.previous !== null ? (
            <>
              <Link
                className="button button--secondary button--small"
                to={`${base}/builds/${neighbours.previous}`}
              >
                ← #{neighbours.previous}
              </Link>
              <Link
                className="button button--secondary button--small"
                to={`${base}/builds/compare?a=${neighbours.previous}&b=${build.number}`}
              >
                Compare with #{neighbours.previous}
              </Link>
            </>
          ) : null}
          {neighbours.next !== null ? (
            <Link
              className="button button--secondary button--small"
              to={`${base}/builds/${neighbours.next}`}
            >
              #{neighbours.next} →
            </Link>
          ) : null}
          <a
            className="button button--secondary button--small"
            href={`${base}/builds/${build.number}/trace.json`}
            download={`build-${build.number}-otlp.json`}
          >
            Export trace (OTLP)
          </a>
        </div>
      </header>

      <Summary data={data} />

      <nav className="build-tabs" aria-label="Build sections">
        {TABS.map((t) => (
          <Link
            key={t.id}
            to={t.id === "steps" ? "?" : `?tab=${t.id}`}
            aria-current={tab === t.id ? "page" : undefined}
            preventScrollReset
          >
            {t.label}
            {t.id === "lint" && data.lint.ok ? ` (${data.lint.data.findings.length})` : ""}
            {t.id === "resources" && build.resources.oomKilled ? " ⚠ OOM" : ""}
          </Link>
        ))}
      </nav>

      {tab === "steps" ? (
        <>
          <WhySlowPanel data={data} />
          <StepsTab data={data} />
        </>
      ) : null}
      {tab === "lint" ? <LintTab data={data} /> : null}
      {tab === "context" ? <ContextTab data={data} /> : null}
      {tab === "resources" ? <ResourcesTab data={data} /> : null}
    </div>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPage error={error} />;
}
