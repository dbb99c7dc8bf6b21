/** Parsing of URL parameters shared by loaders and the tRPC router. Pure, no server imports. */

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Org and project slugs: lower-case letters, digits and dashes. Anything else cannot exist. */
export function isSlug(value: string | undefined): value is string {
  return value !== undefined && SLUG.test(value);
}

export const MAX_PAGE = 100_000;

export type PageParam = { ok: true; page: number } | { ok: false; message: string };

/** `?page=N`, 1-based. Missing or empty means page 1. */
export function parsePageParam(value: string | null): PageParam {
  if (value === null || value === "") return { ok: true, page: 1 };
  if (!/^\d{1,6}$/.test(value)) {
    return { ok: false, message: "page must be a whole number, starting at 1" };
  }
  const page = Number(value);
  if (page < 1 || page > MAX_PAGE) {
    return { ok: false, message: `page must be between 1 and ${MAX_PAGE}` };
  }
  return { ok: true, page };
}

/** A step id (`stepIdOf`) or digest as URLs and the step procedure take it. */
export function parseStepId(value: string | null | undefined): string | null {
  return value != null && /^[A-Za-z0-9:._-]{1,200}$/.test(value) ? value : null;
}
