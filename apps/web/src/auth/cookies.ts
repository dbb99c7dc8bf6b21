// The session cookie. `__Host-` prefix: Secure, Path=/, no Domain, so no subdomain or plain-http
// page can set or overwrite it. HttpOnly: scripts cannot read it. SameSite=Lax: not sent on
// cross-site POSTs (CSRF is also checked separately, see csrf.ts). Server-only (imports @slipway/db).

import { SESSION_COOKIE_NAME } from "@slipway/db";

export { SESSION_COOKIE_NAME };

/** Set-Cookie for a new session; the browser keeps it until the session's absolute expiry. */
export function sessionCookie(token: string, expiresAt: Date): string {
  return `${SESSION_COOKIE_NAME}=${token}; Path=/; HttpOnly; Secure; SameSite=Lax; Expires=${expiresAt.toUTCString()}`;
}

/** Set-Cookie that deletes the session cookie. */
export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE_NAME}=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0`;
}

/** The session token in a Cookie header, or null. */
export function readSessionToken(cookieHeader: string | null): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === SESSION_COOKIE_NAME) {
      const value = part.slice(eq + 1).trim();
      return value || null;
    }
  }
  return null;
}
