import { Form, Link, redirect, useNavigation } from "react-router";
import { sessionCookie } from "../../src/auth/cookies";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../../src/auth/limits";
import { requestInfo } from "../../src/auth/request-info.server";
import { getAuth, safeNext } from "../../src/auth/session.server";
import { getDb } from "../../src/db.server";
import { signUp } from "../../src/services/accounts.server";
import { fieldsOf } from "../../src/services/errors";
import { AuthCard, Field, FormError, type FormState } from "../components/forms";
import { formFailure } from "../lib/action.server";
import type { Route } from "./+types/signup";

export const meta: Route.MetaFunction = () => [{ title: "Create an account · Slipway" }];

export async function loader({ request }: Route.LoaderArgs) {
  const next = safeNext(new URL(request.url).searchParams.get("next"));
  if (await getAuth(request)) throw redirect(next);
  return { next };
}

export async function action({ request }: Route.ActionArgs) {
  const form = await request.formData();
  const { name, email, password, next } = fieldsOf(form, ["name", "email", "password", "next"]);
  try {
    const { token, session } = await signUp(
      getDb(),
      { name, email, password },
      requestInfo(request),
    );
    throw redirect(safeNext(next), {
      headers: { "Set-Cookie": sessionCookie(token, session.expiresAt) },
    });
  } catch (error) {
    if (error instanceof Response) throw error;
    return formFailure(error, { name, email });
  }
}

export default function SignUp({ loaderData, actionData }: Route.ComponentProps) {
  const state = actionData as FormState | undefined;
  const busy = useNavigation().state === "submitting";
  const signinHref =
    loaderData.next === "/" ? "/signin" : `/signin?next=${encodeURIComponent(loaderData.next)}`;
  return (
    <AuthCard title="Create your account">
      <Form method="post" className="form" noValidate>
        <FormError message={state?.formError} />
        <input type="hidden" name="next" value={loaderData.next} />
        <Field
          label="Name"
          name="name"
          autoComplete="name"
          required
          maxLength={100}
          defaultValue={state?.values?.name}
          error={state?.errors?.name}
        />
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={state?.values?.email}
          error={state?.errors?.email}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN_LENGTH}
          maxLength={PASSWORD_MAX_LENGTH}
          hint={`At least ${PASSWORD_MIN_LENGTH} characters. A passphrase of a few words works well; common passwords are refused.`}
          error={state?.errors?.password}
        />
        <button type="submit" className="button button--block" disabled={busy}>
          {busy ? "Creating account…" : "Create account"}
        </button>
      </Form>
      <p className="auth__switch">
        Already have an account? <Link to={signinHref}>Sign in</Link>
      </p>
    </AuthCard>
  );
}
