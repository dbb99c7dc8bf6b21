// Test helpers (`@slipway/db/testing`): one throw-away database per integration test file,
// cloned from a template database that holds the migrated schema, plus the data factories.
//
//   const t = await createTestDatabase();   // in beforeAll
//   ... t.db.user.create(...) ...
//   await t.drop();                          // in afterAll
//
// The template is prepared once per test run by scripts/vitest-global-setup.ts.

import { createHash, randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { loadDbEnv } from "./env.ts";
import { createDb, type Db } from "./index.ts";
import { quoteIdent, withAdminClient } from "./migrate/engine.ts";
import { applyMigrations, paths, withDatabase } from "./migrate/index.ts";
import { readMigrations } from "./migrate/migrations.ts";

export * from "./seed/factories.ts";
export { createRng, type Rng } from "./seed/prng.ts";

export const TEST_TEMPLATE_DATABASE = "slipway_test_template";
const TEST_DATABASE_PREFIX = "slipway_test_";
/** Test databases older than this are assumed leaked by a crashed run and dropped. */
const STALE_AFTER_MS = 3 * 60 * 60 * 1000;
/** pg_advisory_lock key serialising template refreshes of concurrent test runs. */
const TEMPLATE_LOCK_KEY = 7_110_771;

export interface TestDatabase {
  url: string;
  db: Db;
  /** Disconnects and drops the database. */
  drop(): Promise<void>;
}

/** Creates a fresh, migrated, empty database cloned from the test template. */
export async function createTestDatabase(
  baseUrl: string = loadDbEnv().DATABASE_URL,
): Promise<TestDatabase> {
  const name = `${TEST_DATABASE_PREFIX}${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  await withAdminClient(baseUrl, async (c) => {
    const sql = `CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(TEST_TEMPLATE_DATABASE)}`;
    for (let attempt = 1; ; attempt++) {
      try {
        await c.query(sql);
        return;
      } catch (err) {
        // 55006: the template is briefly in use (being refreshed by a concurrent run).
        if ((err as { code?: string }).code === "55006" && attempt < 20) {
          await new Promise((r) => setTimeout(r, 250));
          continue;
        }
        const hint =
          (err as { code?: string }).code === "3D000"
            ? ` (run integration tests through vitest's "integration" project, whose globalSetup prepares ${TEST_TEMPLATE_DATABASE}, or call prepareTestTemplate())`
            : "";
        throw new Error(
          `could not create test database ${name}: ${(err as Error).message}${hint}`,
          {
            cause: err,
          },
        );
      }
    }
  });
  const url = withDatabase(baseUrl, name);
  const db = createDb(url, { max: 5 });
  let dropped: Promise<void> | undefined;
  return {
    url,
    db,
    drop() {
      dropped ??= (async () => {
        await db.$disconnect();
        await withAdminClient(baseUrl, (c) =>
          c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`),
        );
      })();
      return dropped;
    },
  };
}

/** Identifies the template's content: the migration files (in order) and the engine version. */
async function templateFingerprint(migrationsDir: string): Promise<string> {
  const list = await readMigrations(migrationsDir);
  const h = createHash("sha256");
  const enginePkg = path.join(paths.repoRoot, "packages/db/package.json");
  h.update(await readFile(enginePkg, "utf8").catch(() => ""));
  for (const dir of list.migrationDirectories) {
    h.update(`\0${dir.path}\0`);
    h.update(dir.migrationFile.content.value);
  }
  return `slipway-test-template ${h.digest("hex").slice(0, 32)}`;
}

/**
 * Makes sure the template database holds exactly the committed migrations: it is dropped and
 * rebuilt whenever a migration file changed (or `force`), and reused otherwise, so concurrent
 * test runs (e.g. turbo running every package's tests) do not drop it under each other.
 * Also drops test databases leaked by crashed runs. Returns true when it (re)built the template.
 */
export async function prepareTestTemplate(
  baseUrl: string = loadDbEnv().DATABASE_URL,
  { force = false, migrationsDir = paths.migrations } = {},
): Promise<boolean> {
  const fingerprint = await templateFingerprint(migrationsDir);
  return withAdminClient(baseUrl, async (c) => {
    await c.query("SELECT pg_advisory_lock($1)", [TEMPLATE_LOCK_KEY]);
    try {
      await dropStaleTestDatabases(c);
      const existing = await c.query<{ comment: string | null }>(
        "SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1",
        [TEST_TEMPLATE_DATABASE],
      );
      if (!force && existing.rows[0]?.comment === fingerprint) return false;
      const t = quoteIdent(TEST_TEMPLATE_DATABASE);
      if (existing.rowCount) {
        await c.query(`ALTER DATABASE ${t} WITH IS_TEMPLATE false ALLOW_CONNECTIONS true`);
        await c.query(`DROP DATABASE ${t} WITH (FORCE)`);
      }
      await c.query(`CREATE DATABASE ${t}`);
      await applyMigrations({ url: withDatabase(baseUrl, TEST_TEMPLATE_DATABASE), migrationsDir });
      await c.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
        [TEST_TEMPLATE_DATABASE],
      );
      await c.query(`COMMENT ON DATABASE ${t} IS '${fingerprint}'`);
      // No one may connect to it: CREATE DATABASE ... TEMPLATE fails while anyone is connected.
      await c.query(`ALTER DATABASE ${t} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
      return true;
    } finally {
      await c.query("SELECT pg_advisory_unlock($1)", [TEMPLATE_LOCK_KEY]);
    }
  });
}

async function dropStaleTestDatabases(c: {
  query: (sql: string, values?: unknown[]) => Promise<{ rows: { datname: string }[] }>;
}): Promise<void> {
  const { rows } = await c.query(
    "SELECT datname FROM pg_database WHERE datname LIKE $1 AND datname <> $2",
    [`${TEST_DATABASE_PREFIX}%`, TEST_TEMPLATE_DATABASE],
  );
  for (const { datname } of rows) {
    const created = Number.parseInt(
      datname.slice(TEST_DATABASE_PREFIX.length).split("_")[0] ?? "",
      36,
    );
    if (Number.isFinite(created) && Date.now() - created > STALE_AFTER_MS) {
      await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)} WITH (FORCE)`);
    }
  }
}
