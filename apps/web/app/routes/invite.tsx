import { Form, Link, redirect, useNavigation } from "react-router";
import { ROLE_LABELS } from "../../src/auth/permissions";
import { requestInfo } from "../../src/auth/request-info.server";
import { getAuth, requireUser } from "../../src/auth/session.server";
import { getDb } from "../../src/db.server";
import { formatTimestamp } from "../../src/format";
import { acceptInvite, describeInvite } from "../../src/services/members.server";
import { AuthCard, FormError, type FormState } from "../components/forms";
import { formFailure } from "../lib/action.server";
import type { Route } from "./+types/invite";

export const meta: Route.MetaFunction = () => [{ title: "Invitation · Slipway" }];

export async function loader({ request, params }: Route.LoaderArgs) {
  const auth = await getAuth(request);
  const invite = await describeInvite(getDb(), params.token);
  return {
    invite:
      invite.state === "valid" ? { ...invite, expiresAt: invite.expiresAt.toISOString() } : invite,
    user: auth ? { email: auth.user.email, name: auth.user.name } : null,
    path: `/invite/${params.token}`,
  };
}

export async function action({ request, params }: Route.ActionArgs) {
  const { user } = await requireUser(request);
  try {
    const joined = await acceptInvite(getDb(), user, params.token, requestInfo(request));
    return redirect(`/orgs/${joined.orgSlug}`);
  } catch (error) {
    return formFailure(error);
  }
}

export default function Invite({ loaderData, actionData }: Route.ComponentProps) {
  const state = actionData as FormState | undefined;
  const busy = useNavigation().state === "submitting";
  const { invite, user, path } = loaderData;
  if (invite.state !== "valid") {
    const title =
      invite.state === "unknown"
        ? "Invite not found"
        : invite.state === "used"
          ? "Invite already used"
          : "Invite expired";
    const message =
      invite.state === "unknown"
        ? "This invite link is not valid. Check that it was copied whole, or ask for a new one."
        : invite.state === "used"
          ? `This invite to ${invite.orgName} has already been used. Invites work once; ask an admin for a new one.`
          : `This invite to ${invite.orgName} has expired. Ask an admin for a new one.`;
    return (
      <AuthCard title={title} subtitle={message}>
        <Link className="button button--block" to="/">
          Go to the dashboard
        </Link>
      </AuthCard>
    );
  }
  const next = encodeURIComponent(path);
  return (
    <AuthCard
      title={`Join ${invite.orgName}`}
      subtitle={
        <>
          You are invited to join <strong>{invite.orgName}</strong> as{" "}
          <strong>{ROLE_LABELS[invite.role]}</strong>
          {invite.email ? ` (for ${invite.email})` : ""}. The invite expires{" "}
          {formatTimestamp(invite.expiresAt)}.
        </>
      }
    >
      <FormError message={state?.formError} />
      {user ? (
        <Form method="post" className="form">
          <p className="muted">
            Signed in as <strong>{user.email}</strong>.
          </p>
          <button type="submit" className="button button--block" disabled={busy}>
            {busy ? "Joining…" : `Join ${invite.orgName}`}
          </button>
        </Form>
      ) : (
        <div className="form">
          <Link className="button button--block" to={`/signup?next=${next}`}>
            Create an account to join
          </Link>
          <Link className="button button--secondary button--block" to={`/signin?next=${next}`}>
            I have an account: sign in
          </Link>
        </div>
      )}
    </AuthCard>
  );
}
