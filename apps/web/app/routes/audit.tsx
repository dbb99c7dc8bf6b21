import { auditRetentionOf } from "@slipway/db";
import { Fragment, useState } from "react";
import { Form, Link, useFetcher, useSearchParams } from "react-router";
import { AUDIT_ACTIONS_LIST, auditActorChoices } from "../../src/audit/actors.server";
import { AuditQueryError, auditQueryFromSearchParams } from "../../src/audit/filters";
import { ensureAuditJobs } from "../../src/audit/jobs.server";
import { readAuditPage, retentionJson, verifyOrgAudit } from "../../src/audit/service.server";
import { requireOrgAccess } from "../../src/auth/session.server";
import { getDb } from "../../src/db.server";
import { formatTimestamp } from "../../src/format";
import type { Route } from "./+types/audit";
import "./audit.css";
import { Breadcrumb } from "../components/breadcrumb";
import { TableScroll } from "../components/table-scroll";

export const meta: Route.MetaFunction = () => [{ title: "Audit log · Slipway" }];

const FILTER_KEYS = [
  "actor",
  "action",
  "targetType",
  "target",
  "outcome",
  "from",
  "to",
  "q",
] as const;

export async function loader({ request, params }: Route.LoaderArgs) {
  const access = await requireOrgAccess(request, params.orgSlug, "audit.read");
  ensureAuditJobs();
  const db = getDb();
  const query = auditQueryFromSearchParams(new URL(request.url).searchParams);
  let page: Awaited<ReturnType<typeof readAuditPage>>;
  let error: { field: string; message: string } | null = null;
  try {
    page = await readAuditPage(db, access.org.id, query);
  } catch (e) {
    if (!(e instanceof AuditQueryError)) throw e;
    error = { field: e.field, message: e.message };
    const retention = retentionJson(await auditRetentionOf(db, access.org.id));
    page = { events: [], nextCursor: null, retention };
  }
  return {
    org: access.org,
    actors: await auditActorChoices(db, access.org.id),
    actions: AUDIT_ACTIONS_LIST,
    page,
    error,
  };
}

/** "Verify chain": a POST so the result is fetched on demand (it reads the whole log). */
export async function action({ request, params }: Route.ActionArgs) {
  const access = await requireOrgAccess(request, params.orgSlug, "audit.read");
  return { verify: await verifyOrgAudit(getDb(), access.org.id) };
}

function VerifyPanel() {
  const fetcher = useFetcher<typeof action>();
  const result = fetcher.data?.verify;
  return (
    <div className="audit-verify">
      <fetcher.Form method="post">
        <button
          type="submit"
          className="button button--secondary"
          disabled={fetcher.state !== "idle"}
        >
          {fetcher.state !== "idle" ? "Verifying…" : "Verify chain"}
        </button>
      </fetcher.Form>
      {result ? (
        result.ok ? (
          <p className="alert alert--success" role="status" data-testid="verify-result">
            Chain intact: {result.events.toLocaleString("en-US")} events
            {result.lastSeq ? ` (seq ${result.firstSeq}–${result.lastSeq})` : ""} and{" "}
            {result.digests.toLocaleString("en-US")} hourly digests check out.
          </p>
        ) : (
          <p className="alert alert--error" role="alert" data-testid="verify-result">
            Broken at seq {result.seq}
            {result.id ? ` (event ${result.id})` : ""}: {result.reason}
          </p>
        )
      ) : null}
    </div>
  );
}

export default function AuditPage({ loaderData }: Route.ComponentProps) {
  const { org, actors, actions, page, error } = loaderData;
  const [params] = useSearchParams();
  const [open, setOpen] = useState<string | null>(null);
  const filters = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value) filters.set(key, value);
  }
  const base = `/orgs/${org.slug}/audit`;
  const next = new URLSearchParams(filters);
  if (page.nextCursor) next.set("cursor", page.nextCursor);
  const exportUrl = (format: string) => {
    const q = new URLSearchParams(filters);
    q.set("format", format);
    return `${base}/export?${q.toString()}`;
  };
  const actorName = new Map(actors.map((a) => [a.id, a.label]));

  return (
    <>
      <header className="page-header">
        <div>
          <Breadcrumb trail={[{ label: org.name }]} />
          <h1 className="page-title">Audit log</h1>
        </div>
        <div className="page-header__aside">
          <VerifyPanel />
        </div>
      </header>
      <p className="muted page-intro">
        Every change in {org.name}, newest first. Events cannot be edited or deleted; each one is
        chained to the one before it by its hash.{" "}
        <span data-testid="audit-retention">
          {page.retention.plan ? `The ${page.retention.plan} plan keeps` : "Kept for"}{" "}
          {page.retention.days} days: events since {formatTimestamp(page.retention.since)} are
          shown.
        </span>
      </p>

      <section className="card panel" aria-label="Filters">
        <Form method="get" className="audit-filters" data-testid="audit-filters">
          <div className="field">
            <label htmlFor="f-q" className="field__label">
              Search
            </label>
            <input
              id="f-q"
              name="q"
              className="input"
              defaultValue={params.get("q") ?? ""}
              placeholder="name, target, request id, IP"
            />
          </div>
          <div className="field">
            <label htmlFor="f-actor" className="field__label">
              Actor
            </label>
            <select
              id="f-actor"
              name="actor"
              className="input"
              defaultValue={params.get("actor") ?? ""}
            >
              <option value="">Anyone</option>
              {actors.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-action" className="field__label">
              Action
            </label>
            <select
              id="f-action"
              name="action"
              className="input"
              defaultValue={params.get("action") ?? ""}
            >
              <option value="">Any action</option>
              {actions.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-target" className="field__label">
              Target id
            </label>
            <input
              id="f-target"
              name="target"
              className="input"
              defaultValue={params.get("target") ?? ""}
            />
          </div>
          <div className="field">
            <label htmlFor="f-outcome" className="field__label">
              Outcome
            </label>
            <select
              id="f-outcome"
              name="outcome"
              className="input"
              defaultValue={params.get("outcome") ?? ""}
            >
              <option value="">Any</option>
              <option value="SUCCESS">Success</option>
              <option value="FAILURE">Failure</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-from" className="field__label">
              From
            </label>
            <input
              id="f-from"
              name="from"
              type="date"
              className="input"
              defaultValue={params.get("from") ?? ""}
            />
          </div>
          <div className="field">
            <label htmlFor="f-to" className="field__label">
              To
            </label>
            <input
              id="f-to"
              name="to"
              type="date"
              className="input"
              defaultValue={params.get("to") ?? ""}
            />
          </div>
          <div className="audit-filters__actions">
            <button type="submit" className="button">
              Apply
            </button>
            <Link to={base} className="button button--secondary">
              Clear
            </Link>
          </div>
        </Form>
        {error ? (
          <p className="alert alert--error" role="alert" data-testid="filter-error">
            {error.message}
          </p>
        ) : null}
      </section>

      <section className="card panel panel--flush" aria-labelledby="events-title">
        <div className="panel__bar audit-bar">
          <h2 id="events-title" className="section-title">
            Events
          </h2>
          <span className="audit-bar__exports">
            Export:{" "}
            <a href={exportUrl("csv")} download data-testid="export-csv">
              CSV
            </a>{" "}
            ·{" "}
            <a href={exportUrl("jsonl")} download data-testid="export-jsonl">
              JSON lines
            </a>
          </span>
        </div>
        {page.events.length === 0 ? (
          <p className="empty-state">No events match these filters.</p>
        ) : (
          <TableScroll label="Audit events">
            <table className="table" data-testid="audit-table">
              <thead>
                <tr>
                  <th scope="col">Time (UTC)</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Action</th>
                  <th scope="col">Target</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">
                    <span className="visually-hidden">Details</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {page.events.map((e) => (
                  <Fragment key={e.id}>
                    <tr data-testid="audit-row">
                      <td className="nowrap mono">{formatTimestamp(e.occurredAt)}</td>
                      <td>
                        <span className="strong">{e.actor.name}</span>
                        <span className="muted"> · {e.actor.type.toLowerCase()}</span>
                      </td>
                      <td className="mono">{e.action}</td>
                      <td>
                        {e.target.name} <span className="muted">({e.target.type})</span>
                      </td>
                      <td>
                        <span
                          className={
                            e.outcome === "SUCCESS"
                              ? "badge badge--token-active"
                              : "badge badge--token-revoked"
                          }
                        >
                          {e.outcome === "SUCCESS" ? "success" : "failure"}
                        </span>
                      </td>
                      <td>
                        <button
                          type="button"
                          className="link-button"
                          aria-expanded={open === e.id}
                          onClick={() => setOpen(open === e.id ? null : e.id)}
                        >
                          {open === e.id ? "Hide" : "Details"}
                        </button>
                      </td>
                    </tr>
                    {open === e.id ? (
                      <tr className="audit-details" data-testid="audit-details">
                        <td colSpan={6}>
                          <dl className="audit-details__list">
                            <dt>Seq</dt>
                            <dd className="mono">{e.seq}</dd>
                            <dt>Actor</dt>
                            <dd>
                              {e.actor.name} ({e.actor.type.toLowerCase()}
                              {e.actor.id
                                ? `, ${actorName.get(e.actor.id) ? "" : "id "}${e.actor.id}`
                                : ""}
                              )
                            </dd>
                            <dt>Target</dt>
                            <dd className="mono">
                              {e.target.type} {e.target.id}
                            </dd>
                            <dt>IP</dt>
                            <dd className="mono">{e.ip ?? "—"}</dd>
                            <dt>User agent</dt>
                            <dd className="mono">{e.userAgent ?? "—"}</dd>
                            <dt>Request id</dt>
                            <dd className="mono">{e.requestId ?? "—"}</dd>
                            <dt>Hash</dt>
                            <dd className="mono audit-hash">{e.hash}</dd>
                          </dl>
                          <h3 className="audit-details__title">Changes</h3>
                          {e.changes === null ? (
                            <p className="muted">None recorded.</p>
                          ) : (
                            <Changes changes={e.changes} />
                          )}
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
        <nav className="pagination" aria-label="Pages">
          {params.get("cursor") ? (
            <Link to={`${base}?${filters.toString()}`}>Newest</Link>
          ) : (
            <span />
          )}
          {page.nextCursor ? (
            <Link to={`${base}?${next.toString()}`} data-testid="older">
              Older events →
            </Link>
          ) : null}
        </nav>
      </section>
    </>
  );
}

const show = (value: unknown) =>
  value === null || value === undefined
    ? "—"
    : typeof value === "string"
      ? value
      : JSON.stringify(value);

/** `{ field: { from, to } }` as a before/after table; other shapes as JSON. */
function Changes({ changes }: { changes: unknown }) {
  if (typeof changes !== "object" || changes === null || Array.isArray(changes)) {
    return <pre className="mono">{JSON.stringify(changes, null, 2)}</pre>;
  }
  return (
    <table className="table table--compact" data-testid="audit-changes">
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(changes as Record<string, unknown>).map(([field, value]) => {
          const diff =
            typeof value === "object" && value !== null && ("from" in value || "to" in value)
              ? (value as { from?: unknown; to?: unknown })
              : null;
          return (
            <tr key={field}>
              <td className="mono">{field}</td>
              <td className="mono">{diff ? show(diff.from) : "—"}</td>
              <td className="mono">{diff ? show(diff.to) : show(value)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
