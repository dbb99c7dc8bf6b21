import type { ReactNode } from "react";
import { data, Links, Meta, Outlet, Scripts, ScrollRestoration } from "react-router";
import { checkCsrf } from "../src/auth/csrf";
import type { Route } from "./+types/root";
import { ErrorPage } from "./components/error-page";
import "./app.css";

export const links: Route.LinksFunction = () => [
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

/**
 * CSRF: every state-changing request (form actions, tRPC mutations) must come from this site's own
 * pages (Sec-Fetch-Site: same-origin, or a matching Origin). The REST API (/api/v1) is exempt: it
 * authenticates with bearer tokens, never cookies.
 */
export const middleware: Route.MiddlewareFunction[] = [
  async ({ request }, next) => {
    const csrf = checkCsrf(request);
    if (!csrf.ok && !new URL(request.url).pathname.startsWith("/api/v1/")) {
      if (new URL(request.url).pathname.startsWith("/api/")) {
        return Response.json(
          { error: { code: "FORBIDDEN", message: csrf.message } },
          { status: 403 },
        );
      }
      throw data({ title: "Request refused", message: csrf.message }, { status: 403 });
    }
    return next();
  },
];

export function Layout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return (
    <main className="standalone">
      <ErrorPage error={error} />
    </main>
  );
}
