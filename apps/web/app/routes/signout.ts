import { redirect } from "react-router";
import { clearedSessionCookie } from "../../src/auth/cookies";
import { requestInfo } from "../../src/auth/request-info.server";
import { getAuth } from "../../src/auth/session.server";
import { getDb } from "../../src/db.server";
import { signOut } from "../../src/services/accounts.server";
import type { Route } from "./+types/signout";

// Sign-out changes state, so it is a POST (a form button); a GET only goes home.
export function loader() {
  return redirect("/");
}

export async function action({ request }: Route.ActionArgs) {
  const auth = await getAuth(request);
  if (auth) await signOut(getDb(), auth, requestInfo(request));
  return redirect("/signin", { headers: { "Set-Cookie": clearedSessionCookie() } });
}
