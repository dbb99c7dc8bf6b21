import { Form, useNavigation } from "react-router";
import { can } from "../../src/auth/permissions";
import { requestInfo } from "../../src/auth/request-info.server";
import { requireOrgAccess } from "../../src/auth/session.server";
import { getDb } from "../../src/db.server";
import { formatRelative, formatTimestamp } from "../../src/format";
import { fieldsOf } from "../../src/services/errors";
import {
  createToken,
  listProjectsForScope,
  listTokens,
  revokeToken,
} from "../../src/services/tokens.server";
import { Breadcrumb } from "../components/breadcrumb";
import { CopyButton } from "../components/copy-button";
import { FormError, type FormState, Notice } from "../components/forms";
import { TableScroll } from "../components/table-scroll";
import { formFailure } from "../lib/action.server";
import { actorOf } from "../lib/org-action.server";
import type { Route } from "./+types/tokens";

export const meta: Route.MetaFunction = () => [{ title: "API tokens · Slipway" }];

export async function loader({ request, params }: Route.LoaderArgs) {
  const access = await requireOrgAccess(request, params.orgSlug, "token.read");
  const db = getDb();
  const [tokens, projects] = await Promise.all([
    listTokens(db, access.org.id),
    listProjectsForScope(db, access.org.id),
  ]);
  return {
    org: access.org,
    can: { create: can(access.role, "token.create"), revoke: can(access.role, "token.revoke") },
    now: new Date().toISOString(),
    projects,
    tokens: tokens.map((t) => ({
      ...t,
      createdAt: t.createdAt.toISOString(),
      lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
      expiresAt: t.expiresAt?.toISOString() ?? null,
      revokedAt: t.revokedAt?.toISOString() ?? null,
    })),
  };
}

type ActionData = FormState & {
  intent?: string;
  created?: { name: string; token: string; expiresAt: string | null };
  notice?: string;
};

export async function action({ request, params }: Route.ActionArgs) {
  const form = await request.formData();
  const { intent, name, projectSlug, expiresInDays, tokenId } = fieldsOf(form, [
    "intent",
    "name",
    "projectSlug",
    "expiresInDays",
    "tokenId",
  ]);
  const info = requestInfo(request);
  try {
    if (intent === "create") {
      const access = await requireOrgAccess(request, params.orgSlug, "token.create");
      const created = await createToken(getDb(), actorOf(access, info), {
        name,
        projectSlug: projectSlug || null,
        expiresInDays: expiresInDays ? Number(expiresInDays) : null,
      });
      const result: ActionData = {
        intent,
        created: {
          name: name.trim(),
          token: created.token,
          expiresAt: created.expiresAt?.toISOString() ?? null,
        },
      };
      return result;
    }
    if (intent === "revoke") {
      const access = await requireOrgAccess(request, params.orgSlug, "token.revoke");
      await revokeToken(getDb(), actorOf(access, info), { tokenId });
      const result: ActionData = {
        intent,
        notice: "Token revoked. Requests that use it now answer 401.",
      };
      return result;
    }
    const result: ActionData = { formError: "Unknown action. Reload the page and try again." };
    return result;
  } catch (error) {
    return formFailure(error, { name, projectSlug, expiresInDays }, { intent });
  }
}

const STATUS_LABEL = { active: "Active", expired: "Expired", revoked: "Revoked" } as const;

export default function Tokens({ loaderData, actionData }: Route.ComponentProps) {
  const { org, tokens, projects, now } = loaderData;
  const result = actionData as ActionData | undefined;
  const busy = useNavigation().state === "submitting";
  const createErrors = result?.intent === "create" ? result.errors : undefined;
  return (
    <>
      <header className="page-header">
        <div>
          <Breadcrumb trail={[{ label: org.name }]} />
          <h1 className="page-title">API tokens</h1>
        </div>
      </header>
      <p className="muted page-intro">
        Tokens let the <code>slipway</code> CLI and CI run builds:{" "}
        <code>Authorization: Bearer slw_…</code>. An organization token may build every project, a
        project token only its project.
      </p>

      {result?.notice ? <Notice>{result.notice}</Notice> : null}
      {result?.formError && result.intent !== "create" ? (
        <FormError message={result.formError} />
      ) : null}

      {loaderData.can.create ? (
        <section className="card panel" aria-labelledby="create-title">
          <h2 id="create-title" className="section-title">
            Create a token
          </h2>
          {result?.created ? (
            <div className="secret" data-testid="new-token-box">
              <p>
                <strong>{result.created.name}</strong> was created
                {result.created.expiresAt
                  ? `, valid until ${formatTimestamp(result.created.expiresAt)}`
                  : ", without expiry"}
                . Copy it now: it is shown only once and Slipway keeps only its hash.
              </p>
              <div className="secret__row">
                <code className="secret__value" data-testid="new-token">
                  {result.created.token}
                </code>
                <CopyButton value={result.created.token} />
              </div>
            </div>
          ) : null}
          <Form
            method="post"
            className="form form--inline"
            key={result?.created?.token ?? "create"}
          >
            <input type="hidden" name="intent" value="create" />
            {result?.intent === "create" ? <FormError message={result.formError} /> : null}
            <div className="field field--grow">
              <label htmlFor="token-name" className="field__label">
                Name
              </label>
              <input
                id="token-name"
                name="name"
                className="input"
                maxLength={60}
                placeholder="GitHub Actions"
                defaultValue={
                  result?.intent === "create" && !result.created ? result.values?.name : undefined
                }
                aria-invalid={createErrors?.name ? true : undefined}
                aria-describedby={createErrors?.name ? "token-name-error" : undefined}
              />
              {createErrors?.name ? (
                <p id="token-name-error" className="field__error" data-testid="name-error">
                  {createErrors.name}
                </p>
              ) : null}
            </div>
            <div className="field">
              <label htmlFor="token-scope" className="field__label">
                Scope
              </label>
              <select id="token-scope" name="projectSlug" className="input" defaultValue="">
                <option value="">Whole organization</option>
                {projects.map((p) => (
                  <option key={p.slug} value={p.slug}>
                    Project: {p.name}
                  </option>
                ))}
              </select>
              {createErrors?.projectSlug ? (
                <p className="field__error">{createErrors.projectSlug}</p>
              ) : null}
            </div>
            <div className="field">
              <label htmlFor="token-expiry" className="field__label">
                Expires after
              </label>
              <select id="token-expiry" name="expiresInDays" className="input" defaultValue="90">
                <option value="7">7 days</option>
                <option value="30">30 days</option>
                <option value="90">90 days</option>
                <option value="365">1 year</option>
                <option value="">Never</option>
              </select>
              {createErrors?.expiresInDays ? (
                <p className="field__error">{createErrors.expiresInDays}</p>
              ) : null}
            </div>
            <button type="submit" className="button" disabled={busy}>
              Create token
            </button>
          </Form>
        </section>
      ) : null}

      <section className="card panel panel--flush" aria-labelledby="tokens-title">
        <h2 id="tokens-title" className="section-title panel__bar">
          Tokens
        </h2>
        {tokens.length === 0 ? (
          <p className="empty-state">No API tokens yet.</p>
        ) : (
          <TableScroll label="API tokens">
            <table className="table" data-testid="tokens-table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Token</th>
                  <th>Scope</th>
                  <th>Created by</th>
                  <th>Last used</th>
                  <th>Expires</th>
                  <th>Status</th>
                  <th>
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((t) => (
                  <tr key={t.id}>
                    <td className="strong">{t.name}</td>
                    <td className="mono">{t.prefix}…</td>
                    <td>{t.scope.kind === "org" ? "Organization" : `Project: ${t.scope.name}`}</td>
                    <td className="muted">
                      {t.createdBy ?? "—"}
                      <br />
                      <span className="nowrap">{formatTimestamp(t.createdAt)}</span>
                    </td>
                    <td className="muted nowrap">
                      {t.lastUsedAt ? formatRelative(t.lastUsedAt, now) : "Never"}
                    </td>
                    <td className="muted nowrap">
                      {t.expiresAt ? formatTimestamp(t.expiresAt) : "Never"}
                    </td>
                    <td>
                      <span className={`badge badge--token-${t.status}`}>
                        {STATUS_LABEL[t.status]}
                      </span>
                    </td>
                    <td className="table__actions">
                      {loaderData.can.revoke && t.status === "active" ? (
                        <Form method="post" className="inline-form">
                          <input type="hidden" name="intent" value="revoke" />
                          <input type="hidden" name="tokenId" value={t.id} />
                          <button
                            type="submit"
                            className="button button--danger button--small"
                            aria-label={`Revoke ${t.name}`}
                          >
                            Revoke
                          </button>
                        </Form>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </section>
    </>
  );
}
