/**
 * The builds list's filters from the URL (`?status=&platform=&from=&to=&tag=`), validated: a bad
 * value is an error naming it (the page answers 400), never silently ignored. Pure.
 */
import { z } from "zod";

export const BUILD_STATUSES = ["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELED"] as const;

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date like 2025-03-07")
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), "is not a real date");

const filtersSchema = z
  .object({
    status: z
      .string()
      .transform((v) => v.toUpperCase())
      .pipe(
        z.enum(BUILD_STATUSES, {
          message: `must be one of ${BUILD_STATUSES.join(", ").toLowerCase()}`,
        }),
      )
      .optional(),
    platform: z
      .string()
      .regex(/^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/, "must be a platform like linux/amd64")
      .optional(),
    from: day.optional(),
    to: day.optional(),
    tag: z.string().min(1).max(256, "must be at most 256 characters").optional(),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, {
    message: "must not be after “to”",
    path: ["from"],
  });

export type BuildFilters = z.output<typeof filtersSchema>;

export type FiltersParam = { ok: true; filters: BuildFilters } | { ok: false; message: string };

export function parseBuildFilters(search: URLSearchParams): FiltersParam {
  const raw: Record<string, string> = {};
  for (const key of ["status", "platform", "from", "to", "tag"]) {
    const v = search.get(key)?.trim();
    if (v) raw[key] = v;
  }
  const r = filtersSchema.safeParse(raw);
  if (r.success) return { ok: true, filters: r.data };
  return {
    ok: false,
    message: r.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; "),
  };
}

/** The filters as a Prisma `where` fragment (dates are UTC days, `to` inclusive). */
export function buildFilterWhere(f: BuildFilters) {
  return {
    ...(f.status ? { status: f.status } : {}),
    ...(f.platform ? { platforms: { has: f.platform } } : {}),
    ...(f.tag ? { tags: { has: f.tag } } : {}),
    ...(f.from || f.to
      ? {
          createdAt: {
            ...(f.from ? { gte: new Date(`${f.from}T00:00:00Z`) } : {}),
            ...(f.to ? { lt: new Date(Date.parse(`${f.to}T00:00:00Z`) + 24 * 3600 * 1000) } : {}),
          },
        }
      : {}),
  };
}

/** The query string of these filters plus a page (page 1 is left out). */
export function filtersQuery(f: BuildFilters, page = 1): string {
  const p = new URLSearchParams();
  if (f.status) p.set("status", f.status.toLowerCase());
  if (f.platform) p.set("platform", f.platform);
  if (f.from) p.set("from", f.from);
  if (f.to) p.set("to", f.to);
  if (f.tag) p.set("tag", f.tag);
  if (page > 1) p.set("page", String(page));
  const s = p.toString();
  return s ? `?${s}` : "?";
}
