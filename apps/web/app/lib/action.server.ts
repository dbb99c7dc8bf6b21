import { data } from "react-router";
import { HTTP_STATUS, ServiceError } from "../../src/services/errors";
import type { FormState } from "../components/forms";

/** A refused action: the form again, with the message next to its field (or above the form). */
export function formFailure<T extends object = object>(
  error: unknown,
  values: Record<string, string> = {},
  extra?: T,
) {
  if (!(error instanceof ServiceError)) throw error;
  const state: FormState = error.field
    ? { errors: { [error.field]: error.message }, values }
    : { formError: error.message, values };
  return data({ ...state, ...extra }, { status: HTTP_STATUS[error.code] });
}
