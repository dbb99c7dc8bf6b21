// What a service refuses, in words a page can show next to a field and tRPC can map to a code.

export type ServiceErrorCode =
  | "BAD_REQUEST"
  | "NOT_FOUND"
  | "FORBIDDEN"
  | "CONFLICT"
  | "TOO_MANY_REQUESTS"
  | "UNAUTHORIZED";

export class ServiceError extends Error {
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    /** The form field the message belongs next to, if any. */
    readonly field?: string,
  ) {
    super(message);
    this.name = "ServiceError";
  }
}

export const HTTP_STATUS: Record<ServiceErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_MANY_REQUESTS: 429,
};

/** Form fields as strings ("" when missing); files are ignored. */
export function fieldsOf<K extends string>(form: FormData, names: readonly K[]): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const name of names) {
    const value = form.get(name);
    out[name] = typeof value === "string" ? value : "";
  }
  return out;
}
