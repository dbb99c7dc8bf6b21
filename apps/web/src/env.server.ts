import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { z } from "zod";

/**
 * The web app's configuration, read once from the process environment. Every variable has a
 * default that works on a developer machine started with scripts/start, so `npm run dev` and
 * `npm run start` need no variables at all. A bad value stops the process with one line per
 * bad variable; values are never echoed because URLs may carry credentials.
 */

// An empty string means "not set", so `FOO= npm start` falls back to the default.
const unsetIfEmpty = (value: unknown) => (value === "" ? undefined : value);

function urlWithProtocols(protocols: string[], example: string) {
  return z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol.replace(/:$/, ""));
      } catch {
        return false;
      }
    },
    { message: `must be a ${protocols.join(" or ")} URL, e.g. ${example}` },
  );
}

const port = z
  .string()
  .regex(/^\d+$/, { message: "must be a port number between 1 and 65535" })
  .transform(Number)
  .refine((n) => n >= 1 && n <= 65535, { message: "must be a port number between 1 and 65535" });

export function envSchema(defaults: { stateDir: string }) {
  return z.object({
    NODE_ENV: z.preprocess(
      unsetIfEmpty,
      z
        .enum(["development", "production", "test"], {
          message: "must be one of development, production, test",
        })
        .default("development"),
    ),
    WEB_HOST: z.preprocess(
      unsetIfEmpty,
      z
        .string()
        .regex(/^[A-Za-z0-9.:[\]-]+$/, { message: "must be a host name or IP address" })
        .default("127.0.0.1"),
    ),
    WEB_PORT: z.preprocess(unsetIfEmpty, port.default(3000)),
    DATABASE_URL: z.preprocess(
      unsetIfEmpty,
      urlWithProtocols(
        ["postgresql", "postgres"],
        "postgresql://user:pass@127.0.0.1:5432/db",
      ).default("postgresql://slipway:slipway@127.0.0.1:15432/slipway"),
    ),
    REDIS_URL: z.preprocess(
      unsetIfEmpty,
      urlWithProtocols(["redis", "rediss"], "redis://127.0.0.1:6379").default(
        "redis://127.0.0.1:16379",
      ),
    ),
    INGEST_URL: z.preprocess(
      unsetIfEmpty,
      urlWithProtocols(["http", "https"], "http://127.0.0.1:3100").default("http://127.0.0.1:3100"),
    ),
    /** The ingest query API's service token; unset: read `<state dir>/ingest-service-token`. */
    INGEST_SERVICE_TOKEN: z.preprocess(unsetIfEmpty, z.string().min(32).optional()),
    SLIPWAY_STATE_DIR: z.preprocess(unsetIfEmpty, z.string().default(defaults.stateDir)),
    /**
     * Behind a reverse proxy: take the client IP from the last X-Forwarded-For entry (what the
     * proxy appended). Off: the app is reached directly and proxy headers are not trusted.
     */
    WEB_TRUST_PROXY: z.preprocess(
      unsetIfEmpty,
      z
        .enum(["true", "false", "1", "0"], { message: "must be true or false" })
        .default("false")
        .transform((v) => v === "true" || v === "1"),
    ),
  });
}

export type Env = z.infer<ReturnType<typeof envSchema>>;

export type EnvResult = { ok: true; env: Env } | { ok: false; errors: string[] };

/** Validates `source` (normally process.env) without side effects. */
export function parseEnv(
  source: Record<string, string | undefined>,
  defaults: { stateDir: string } = { stateDir: defaultStateDir() },
): EnvResult {
  const result = envSchema(defaults).safeParse(source);
  if (result.success) return { ok: true, env: result.data };
  const errors = result.error.issues.map((issue) => {
    const name = issue.path.join(".") || "(environment)";
    const message = issue.code === "invalid_type" ? "must be a string" : issue.message;
    return `${name}: ${message}`;
  });
  return { ok: false, errors };
}

/** Parses the environment or ends the process with a message naming each bad variable. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = parseEnv(source);
  if (result.ok) return result.env;
  console.error(
    `[slipway web] invalid configuration:\n${result.errors.map((e) => `  - ${e}`).join("\n")}`,
  );
  process.exit(1);
}

let cached: Env | undefined;

/** The validated environment of this process, parsed on first use. */
export function getEnv(): Env {
  cached ??= loadEnv();
  return cached;
}

/**
 * The state directory scripts/start uses is `<repo>/.slipway`. The web process usually runs with
 * apps/web as its working directory, so look upwards for the workspace root.
 */
export function defaultStateDir(from: string = process.cwd()): string {
  let dir = resolve(from);
  for (;;) {
    if (isWorkspaceRoot(dir)) return join(dir, ".slipway");
    const parent = dirname(dir);
    if (parent === dir) return join(resolve(from), ".slipway");
    dir = parent;
  }
}

function isWorkspaceRoot(dir: string): boolean {
  const manifest = join(dir, "package.json");
  if (!existsSync(manifest)) return false;
  try {
    const pkg = JSON.parse(readFileSync(manifest, "utf8")) as { workspaces?: unknown };
    return Array.isArray(pkg.workspaces);
  } catch {
    return false;
  }
}
