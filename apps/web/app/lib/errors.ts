import { data } from "react-router";

/** The body of an error response thrown from a loader; the error page shows it. */
export interface ErrorBody {
  title: string;
  message: string;
  /** Where to go instead, e.g. the org's overview. */
  back?: { href: string; label: string };
}

export function notFound(body: ErrorBody) {
  return data(body, { status: 404 });
}

export function badRequest(body: ErrorBody) {
  return data(body, { status: 400 });
}

export function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as ErrorBody).title === "string" &&
    typeof (value as ErrorBody).message === "string"
  );
}
