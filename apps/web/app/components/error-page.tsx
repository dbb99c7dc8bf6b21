import { isRouteErrorResponse, Link } from "react-router";
import { isErrorBody } from "../lib/errors";

const TITLES: Record<number, string> = {
  400: "Bad request",
  404: "Page not found",
  405: "Method not allowed",
};

/** A calm error page for thrown responses (404, 400…) and unexpected errors alike. */
export function ErrorPage({ error }: { error: unknown }) {
  let status = 500;
  let title = "Something went wrong";
  let message =
    "Slipway could not show this page. The error has been logged; try again in a moment.";
  let back = { href: "/", label: "Go to the dashboard" };
  let detail: string | undefined;

  if (isRouteErrorResponse(error)) {
    status = error.status;
    if (isErrorBody(error.data)) {
      title = error.data.title;
      message = error.data.message;
      back = error.data.back ?? back;
    } else {
      title = TITLES[status] ?? error.statusText ?? title;
      message =
        status === 404
          ? "There is no page at this address. Check the link, or start again from the dashboard."
          : message;
    }
  } else if (import.meta.env.DEV && error instanceof Error) {
    detail = error.stack ?? error.message;
  }

  return (
    <section className="error-page" aria-labelledby="error-title">
      <p className="error-page__status">{status}</p>
      <h1 id="error-title" className="error-page__title">
        {title}
      </h1>
      <p className="error-page__message">{message}</p>
      <Link className="button" to={back.href}>
        {back.label}
      </Link>
      {detail ? <pre className="error-page__detail">{detail}</pre> : null}
    </section>
  );
}
