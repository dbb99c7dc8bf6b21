import { Form, Link, redirect, useNavigation } from "react-router";
import { sessionCookie } from "../../src/auth/cookies";
import { getSigninLimiter } from "../../src/auth/rate-limit.server";
import { requestInfo } from "../../src/auth/request-info.server";
import { getAuth, safeNext } from "../../src/auth/session.server";
import { getDb } from "../../src/db.server";
import { signIn } from "../../src/services/accounts.server";
import { fieldsOf } from "../../src/services/errors";
import { AuthCard, Field, FormError, type FormState } from "../components/forms";
import { formFailure } from "../lib/action.server";
import type { Route } from "./+types/signin";

export const meta: Route.MetaFunction = () => [{ title: "Sign in · Slipway" }];

export async function loader({ request }: Route.LoaderArgs) {
  const next = safeNext(new URL(request.url).searchParams.get("next"));
  if (await getAuth(request)) throw redirect(next);
  return { next };
}

export async function action({ request }: Route.ActionArgs) {
  const form = await request.formData();
  const { email, password, next } = fieldsOf(form, ["email", "password", "next"]);
  try {
    const { token, session } = await signIn(
      getDb(),
      getSigninLimiter(),
      { email, password },
      requestInfo(request),
    );
    throw redirect(safeNext(next), {
      headers: { "Set-Cookie": sessionCookie(token, session.expiresAt) },
    });
  } catch (error) {
    if (error instanceof Response) throw error;
    return formFailure(error, { email });
  }
}

export default function SignIn({ loaderData, actionData }: Route.ComponentProps) {
  const state = actionData as FormState | undefined;
  const busy = useNavigation().state === "submitting";
  const signupHref =
    loaderData.next === "/" ? "/signup" : `/signup?next=${encodeURIComponent(loaderData.next)}`;
  return (
    <AuthCard title="Sign in to Slipway">
      <Form method="post" className="form" noValidate>
        <FormError message={state?.formError} />
        <input type="hidden" name="next" value={loaderData.next} />
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="username"
          required
          defaultValue={state?.values?.email}
          error={state?.errors?.email}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          error={state?.errors?.password}
        />
        <button type="submit" className="button button--block" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </Form>
      <p className="auth__switch">
        New to Slipway? <Link to={signupHref}>Create an account</Link>
      </p>
    </AuthCard>
  );
}
