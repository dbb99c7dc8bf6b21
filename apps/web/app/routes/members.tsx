import { Form, redirect, useNavigation } from "react-router";
import { INVITE_DEFAULT_DAYS } from "../../src/auth/limits";
import {
  can,
  canAssignRole,
  canRemoveMember,
  ROLE_LABELS,
  ROLES,
} from "../../src/auth/permissions";
import { requestInfo } from "../../src/auth/request-info.server";
import { requireOrgAccess } from "../../src/auth/session.server";
import { getDb } from "../../src/db.server";
import { formatTimestamp } from "../../src/format";
import { fieldsOf } from "../../src/services/errors";
import {
  changeMemberRole,
  createInvite,
  listMembers,
  removeMember,
} from "../../src/services/members.server";
import { Breadcrumb } from "../components/breadcrumb";
import { CopyButton } from "../components/copy-button";
import { FormError, type FormState, Notice } from "../components/forms";
import { TableScroll } from "../components/table-scroll";
import { formFailure } from "../lib/action.server";
import { actorOf } from "../lib/org-action.server";
import type { Route } from "./+types/members";

export const meta: Route.MetaFunction = () => [{ title: "Members · Slipway" }];

export async function loader({ request, params }: Route.LoaderArgs) {
  const access = await requireOrgAccess(request, params.orgSlug, "member.read");
  const { members, invites } = await listMembers(getDb(), access.org.id);
  return {
    org: access.org,
    me: { userId: access.user.id, role: access.role },
    members: members.map((m) => ({ ...m, joinedAt: m.joinedAt.toISOString() })),
    invites: invites.map((i) => ({
      ...i,
      createdAt: i.createdAt.toISOString(),
      expiresAt: i.expiresAt.toISOString(),
    })),
  };
}

type ActionData = FormState & {
  intent?: string;
  invite?: { link: string; role: string; expiresAt: string };
  notice?: string;
};

export async function action({ request, params }: Route.ActionArgs) {
  const form = await request.formData();
  const { intent, membershipId, role, email, expiresInDays } = fieldsOf(form, [
    "intent",
    "membershipId",
    "role",
    "email",
    "expiresInDays",
  ]);
  const info = requestInfo(request);
  const db = getDb();
  try {
    switch (intent) {
      case "invite": {
        const access = await requireOrgAccess(request, params.orgSlug, "member.invite");
        const days = expiresInDays ? Number(expiresInDays) : INVITE_DEFAULT_DAYS;
        const invite = await createInvite(db, actorOf(access, info), {
          role,
          email,
          expiresInDays: days,
        });
        const origin = new URL(request.url).origin;
        return {
          intent,
          notice: undefined,
          invite: {
            link: `${origin}/invite/${invite.token}`,
            role: invite.role,
            expiresAt: invite.expiresAt.toISOString(),
          },
        };
      }
      case "role": {
        const access = await requireOrgAccess(request, params.orgSlug, "member.role.change");
        const changed = await changeMemberRole(db, actorOf(access, info), { membershipId, role });
        return { intent, notice: `Role changed to ${ROLE_LABELS[changed.role]}.` };
      }
      case "remove": {
        const access = await requireOrgAccess(request, params.orgSlug, "org.read");
        await removeMember(db, actorOf(access, info), { membershipId });
        if (membershipId === access.membershipId) return redirect("/");
        return { intent, notice: "Member removed." };
      }
      default:
        return { formError: "Unknown action. Reload the page and try again." };
    }
  } catch (error) {
    return formFailure(error, { email, role }, { intent });
  }
}

export default function Members({ loaderData, actionData }: Route.ComponentProps) {
  const { org, me, members, invites } = loaderData;
  const result = actionData as ActionData | undefined;
  const busy = useNavigation().state === "submitting";
  const canInvite = can(me.role, "member.invite");
  const invitable = ROLES.filter((r) => canAssignRole(me.role, "VIEWER", r));
  // The server refuses to demote or remove an org's last owner (members.server.ts): no controls.
  const soleOwner = members.filter((m) => m.role === "OWNER").length === 1;
  return (
    <>
      <header className="page-header">
        <div>
          <Breadcrumb trail={[{ label: org.name }]} />
          <h1 className="page-title">Members</h1>
        </div>
      </header>

      {result?.notice ? <Notice>{result.notice}</Notice> : null}
      {result?.formError && result.intent !== "invite" ? (
        <FormError message={result.formError} />
      ) : null}

      {canInvite ? (
        <section className="card panel" aria-labelledby="invite-title">
          <h2 id="invite-title" className="section-title">
            Invite someone
          </h2>
          <p className="muted">
            Creates a link that works once and expires. Send it yourself; it is shown only now.
          </p>
          {result?.invite ? (
            <div className="secret" data-testid="invite-link-box">
              <p>
                Invite link for a new{" "}
                <strong>{ROLE_LABELS[result.invite.role as keyof typeof ROLE_LABELS]}</strong>,
                valid until {formatTimestamp(result.invite.expiresAt)}. Copy it now: it will not be
                shown again.
              </p>
              <div className="secret__row">
                <code className="secret__value" data-testid="invite-link">
                  {result.invite.link}
                </code>
                <CopyButton value={result.invite.link} />
              </div>
            </div>
          ) : null}
          <Form method="post" className="form form--inline" key={result?.invite?.link ?? "invite"}>
            <input type="hidden" name="intent" value="invite" />
            {result?.intent === "invite" ? <FormError message={result.formError} /> : null}
            <div className="field">
              <label htmlFor="invite-role" className="field__label">
                Role
              </label>
              <select id="invite-role" name="role" className="input" defaultValue="MEMBER">
                {invitable.map((r) => (
                  <option key={r} value={r}>
                    {ROLE_LABELS[r]}
                  </option>
                ))}
              </select>
              {result?.intent === "invite" && result.errors?.role ? (
                <p className="field__error">{result.errors.role}</p>
              ) : null}
            </div>
            <div className="field field--grow">
              <label htmlFor="invite-email" className="field__label">
                Only for this email (optional)
              </label>
              <input
                id="invite-email"
                name="email"
                type="email"
                className="input"
                placeholder="anyone with the link"
                aria-invalid={
                  result?.intent === "invite" && result.errors?.email ? true : undefined
                }
              />
              {result?.intent === "invite" && result.errors?.email ? (
                <p className="field__error">{result.errors.email}</p>
              ) : null}
            </div>
            <div className="field">
              <label htmlFor="invite-days" className="field__label">
                Expires after
              </label>
              <select
                id="invite-days"
                name="expiresInDays"
                className="input"
                defaultValue={String(INVITE_DEFAULT_DAYS)}
              >
                <option value="1">1 day</option>
                <option value="7">7 days</option>
                <option value="30">30 days</option>
              </select>
            </div>
            <button type="submit" className="button" disabled={busy}>
              Create invite link
            </button>
          </Form>
        </section>
      ) : null}

      <section className="card panel panel--flush" aria-labelledby="members-title">
        <h2 id="members-title" className="section-title panel__bar">
          {members.length} {members.length === 1 ? "member" : "members"}
        </h2>
        <TableScroll label="Members">
          <table className="table" data-testid="members-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Email</th>
                <th>Role</th>
                <th>Joined</th>
                <th>
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => {
                const self = m.userId === me.userId;
                const lastOwner = soleOwner && m.role === "OWNER";
                const options = lastOwner
                  ? [m.role]
                  : ROLES.filter((r) => r === m.role || canAssignRole(me.role, m.role, r));
                const lastOwnerReason = self
                  ? "You are the only owner: make someone else an owner to leave or change your role."
                  : "The only owner: make someone else an owner first.";
                return (
                  <tr key={m.membershipId}>
                    <td className="strong">
                      {m.name}
                      {self ? <span className="pill pill--inline">you</span> : null}
                    </td>
                    <td className="muted">{m.email}</td>
                    <td>
                      {options.length > 1 ? (
                        <Form method="post" className="inline-form">
                          <input type="hidden" name="intent" value="role" />
                          <input type="hidden" name="membershipId" value={m.membershipId} />
                          <select
                            name="role"
                            className="input input--small"
                            defaultValue={m.role}
                            aria-label={`Role of ${m.name}`}
                          >
                            {options.map((r) => (
                              <option key={r} value={r}>
                                {ROLE_LABELS[r]}
                              </option>
                            ))}
                          </select>
                          <button type="submit" className="button button--secondary button--small">
                            Change
                          </button>
                        </Form>
                      ) : (
                        ROLE_LABELS[m.role]
                      )}
                    </td>
                    <td className="muted nowrap">{formatTimestamp(m.joinedAt)}</td>
                    <td className="table__actions">
                      {lastOwner && (self || canRemoveMember(me.role, m.role)) ? (
                        <span
                          className="muted"
                          data-testid="last-owner-note"
                          style={{ display: "inline-block", maxWidth: 280, whiteSpace: "normal" }}
                        >
                          {lastOwnerReason}
                        </span>
                      ) : self || canRemoveMember(me.role, m.role) ? (
                        <Form method="post" className="inline-form">
                          <input type="hidden" name="intent" value="remove" />
                          <input type="hidden" name="membershipId" value={m.membershipId} />
                          <button type="submit" className="button button--danger button--small">
                            {self ? "Leave" : "Remove"}
                          </button>
                        </Form>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      </section>

      {canInvite && invites.length > 0 ? (
        <section className="card panel panel--flush" aria-labelledby="invites-title">
          <h2 id="invites-title" className="section-title panel__bar">
            Open invites
          </h2>
          <TableScroll label="Open invites">
            <table className="table">
              <thead>
                <tr>
                  <th>For</th>
                  <th>Role</th>
                  <th>Created by</th>
                  <th>Expires</th>
                </tr>
              </thead>
              <tbody>
                {invites.map((i) => (
                  <tr key={i.id}>
                    <td>{i.email ?? <span className="muted">anyone with the link</span>}</td>
                    <td>{ROLE_LABELS[i.role]}</td>
                    <td className="muted">{i.createdBy ?? "—"}</td>
                    <td className="muted nowrap">{formatTimestamp(i.expiresAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </section>
      ) : null}
    </>
  );
}
