import { Form, Link, redirect, useNavigation } from "react-router";
import { sessionCookie } from "../../src/auth/cookies";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../../src/auth/limits";
import { requestInfo } from "../../src/auth/request-info.server";
import { requireUser } from "../../src/auth/session.server";
import { describeUserAgent } from "../../src/auth/user-agent";
import { getDb } from "../../src/db.server";
import { formatRelative, formatTimestamp } from "../../src/format";
import {
  changePassword,
  listSessions,
  revokeOtherSessions,
  revokeSession,
} from "../../src/services/accounts.server";
import { fieldsOf } from "../../src/services/errors";
import { firstOrgSlugOf } from "../../src/services/orgs.server";
import { Breadcrumb } from "../components/breadcrumb";
import { Field, FormError, type FormState, Notice } from "../components/forms";
import { TableScroll } from "../components/table-scroll";
import { formFailure } from "../lib/action.server";
import type { Route } from "./+types/account";

export const meta: Route.MetaFunction = () => [{ title: "Your account · Slipway" }];

export async function loader({ request }: Route.LoaderArgs) {
  const auth = await requireUser(request);
  const db = getDb();
  const [sessions, orgSlug] = await Promise.all([
    listSessions(db, auth),
    firstOrgSlugOf(db, auth.user.id),
  ]);
  return {
    user: { name: auth.user.name, email: auth.user.email },
    back: orgSlug ? `/orgs/${orgSlug}` : "/orgs/new",
    now: new Date().toISOString(),
    passwordChanged: new URL(request.url).searchParams.get("password") === "changed",
    sessions: sessions.map((s) => ({
      id: s.id,
      current: s.current,
      device: describeUserAgent(s.userAgent),
      userAgent: s.userAgent,
      ip: s.ip,
      createdAt: s.createdAt.toISOString(),
      lastVerifiedAt: s.lastVerifiedAt.toISOString(),
    })),
  };
}

type ActionData = FormState & { intent?: string; notice?: string };

export async function action({ request }: Route.ActionArgs) {
  const auth = await requireUser(request);
  const { intent, sessionId, currentPassword, newPassword } = fieldsOf(await request.formData(), [
    "intent",
    "sessionId",
    "currentPassword",
    "newPassword",
  ]);
  const info = requestInfo(request);
  const db = getDb();
  try {
    switch (intent) {
      case "revoke": {
        await revokeSession(db, auth, sessionId, info);
        const result: ActionData = { intent, notice: "Session signed out." };
        return result;
      }
      case "revoke-others": {
        const ended = await revokeOtherSessions(db, auth, info);
        const result: ActionData = {
          intent,
          notice:
            ended === 0
              ? "There were no other sessions."
              : `Signed out ${ended} other session${ended === 1 ? "" : "s"}.`,
        };
        return result;
      }
      case "password": {
        const { token, session } = await changePassword(
          db,
          auth,
          { currentPassword, newPassword },
          info,
        );
        // Every other session has ended; this browser gets a fresh one.
        return redirect("/account?password=changed", {
          headers: { "Set-Cookie": sessionCookie(token, session.expiresAt) },
        });
      }
      default: {
        const result: ActionData = { formError: "Unknown action. Reload the page and try again." };
        return result;
      }
    }
  } catch (error) {
    return formFailure(error, {}, { intent });
  }
}

export default function Account({ loaderData, actionData }: Route.ComponentProps) {
  const { user, sessions, now, back } = loaderData;
  const result = actionData as ActionData | undefined;
  const busy = useNavigation().state === "submitting";
  const passwordErrors = result?.intent === "password" ? result.errors : undefined;
  const changed = loaderData.passwordChanged && !result;
  return (
    <main className="account">
      <header className="account__header">
        <Link to={back} className="brand">
          <img src="/favicon.svg" alt="" width={22} height={22} />
          Slipway
        </Link>
        <Form method="post" action="/signout">
          <button type="submit" className="button button--secondary button--small">
            Sign out
          </button>
        </Form>
      </header>
      <div className="account__body">
        <header className="page-header">
          <div>
            <Breadcrumb trail={[{ label: "Dashboard", to: back }]} />
            <h1 className="page-title">Your account</h1>
            <p className="muted">
              {user.name} · {user.email}
            </p>
          </div>
        </header>
        {result?.notice ? <Notice>{result.notice}</Notice> : null}
        {changed ? <Notice>Password changed. Every other session was signed out.</Notice> : null}
        {result?.formError && result.intent !== "password" ? (
          <FormError message={result.formError} />
        ) : null}

        <section className="card panel panel--flush" aria-labelledby="sessions-title">
          <div className="panel__bar panel__bar--row">
            <h2 id="sessions-title" className="section-title">
              Sessions
            </h2>
            {sessions.length > 1 ? (
              <Form method="post">
                <input type="hidden" name="intent" value="revoke-others" />
                <button type="submit" className="button button--secondary button--small">
                  Sign out all other sessions
                </button>
              </Form>
            ) : null}
          </div>
          <TableScroll label="Sessions">
            <table className="table" data-testid="sessions-table">
              <thead>
                <tr>
                  <th>Device</th>
                  <th>IP address</th>
                  <th>Signed in</th>
                  <th>Last active</th>
                  <th>
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {sessions.map((s) => (
                  <tr key={s.id}>
                    <td title={s.userAgent ?? undefined}>
                      <span className="strong">{s.device}</span>
                      {s.current ? (
                        <span className="pill pill--on pill--inline">this browser</span>
                      ) : null}
                    </td>
                    <td className="muted mono">{s.ip ?? "—"}</td>
                    <td className="muted nowrap">{formatTimestamp(s.createdAt)}</td>
                    <td className="muted nowrap">
                      {s.current ? "now" : formatRelative(s.lastVerifiedAt, now)}
                    </td>
                    <td className="table__actions">
                      {s.current ? null : (
                        <Form method="post" className="inline-form">
                          <input type="hidden" name="intent" value="revoke" />
                          <input type="hidden" name="sessionId" value={s.id} />
                          <button type="submit" className="button button--danger button--small">
                            Sign out
                          </button>
                        </Form>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </section>

        <section className="card panel" aria-labelledby="password-title">
          <h2 id="password-title" className="section-title">
            Change password
          </h2>
          <p className="muted">Changing your password signs out every other session.</p>
          <Form method="post" className="form form--narrow">
            <input type="hidden" name="intent" value="password" />
            {result?.intent === "password" ? <FormError message={result.formError} /> : null}
            <Field
              label="Current password"
              name="currentPassword"
              type="password"
              autoComplete="current-password"
              required
              error={passwordErrors?.currentPassword}
            />
            <Field
              label="New password"
              name="newPassword"
              type="password"
              autoComplete="new-password"
              required
              minLength={PASSWORD_MIN_LENGTH}
              maxLength={PASSWORD_MAX_LENGTH}
              hint={`At least ${PASSWORD_MIN_LENGTH} characters; common passwords are refused.`}
              error={passwordErrors?.newPassword}
            />
            <button type="submit" className="button" disabled={busy}>
              Change password
            </button>
          </Form>
        </section>
      </div>
    </main>
  );
}
