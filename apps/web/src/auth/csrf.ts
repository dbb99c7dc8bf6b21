// Cross-site request forgery defence for cookie-authenticated requests. Browsers label every
// request with Sec-Fetch-Site; a state-changing request (anything but GET/HEAD/OPTIONS) must be
// `same-origin`. Browsers without Fetch Metadata send Origin on POST: it must name this host.
// A request with neither header is refused. Pure: no server imports.

export const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export type CsrfResult = { ok: true } | { ok: false; message: string };

export function checkCsrf(request: Request): CsrfResult {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return { ok: true };
  const site = request.headers.get("sec-fetch-site");
  if (site !== null) {
    return site === "same-origin"
      ? { ok: true }
      : {
          ok: false,
          message: `This request came from another site (Sec-Fetch-Site: ${site}) and was refused to protect your account. Reload the page and try again.`,
        };
  }
  const origin = request.headers.get("origin");
  if (origin === null || origin === "null") {
    return {
      ok: false,
      message:
        "This request carried no Origin or Sec-Fetch-Site header, so Slipway cannot tell that it came from its own pages. Reload the page and try again.",
    };
  }
  const host = request.headers.get("host") ?? new URL(request.url).host;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return { ok: false, message: "This request's Origin header is not a valid URL." };
  }
  return originHost === host
    ? { ok: true }
    : {
        ok: false,
        message: `This request came from ${origin}, not from this site, and was refused to protect your account.`,
      };
}
