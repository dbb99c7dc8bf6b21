// Offline migrations on top of the WASM schema engine (see engine.ts for why).

import {
  noFilters,
  quoteIdent,
  type SchemaFile,
  withAdminClient,
  withSchemaEngine,
} from "./engine.ts";
import {
  nextMigrationDirName,
  paths,
  readMigrations,
  readSchema,
  writeMigration,
} from "./migrations.ts";

export { databaseName, withDatabase } from "./engine.ts";
export { normalizeMigrationName, paths } from "./migrations.ts";

export interface MigrateOptions {
  /** Target database; for diffs only the server is used (shadow databases are created there). */
  url: string;
  /** Defaults to prisma/migrations at the repository root. */
  migrationsDir?: string;
  /** Defaults to prisma/schema.prisma; pass files to diff against another schema. */
  schema?: SchemaFile[];
}

export interface SchemaDiff {
  /** True when there is nothing to change. */
  empty: boolean;
  /** Human-readable summary ("[+] Added tables ..."), empty string when `empty`. */
  summary: string;
  /** The SQL that would turn the source into the target, empty string when `empty`. */
  script: string;
}

/** Creates the database named in `url` if it does not exist yet. Returns true if created. */
export async function ensureDatabase(url: string): Promise<boolean> {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ""));
  return withAdminClient(url, async (c) => {
    const found = await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (found.rowCount) return false;
    await c.query(`CREATE DATABASE ${quoteIdent(name)}`);
    return true;
  });
}

/**
 * Applies the migrations not yet recorded in `_prisma_migrations`, in order, exactly like
 * `prisma migrate deploy`. Returns the names applied (empty when already up to date).
 */
export async function applyMigrations(options: MigrateOptions): Promise<string[]> {
  await ensureDatabase(options.url);
  const migrationsList = await readMigrations(options.migrationsDir ?? paths.migrations);
  const schema = options.schema ?? (await readSchema());
  return withSchemaEngine(options.url, schema, async (engine) => {
    const out = await engine.applyMigrations({ migrationsList, filters: noFilters });
    return out.appliedMigrationNames;
  });
}

type DiffTarget = Parameters<
  Parameters<Parameters<typeof withSchemaEngine>[2]>[0]["diff"]
>[0]["from"];

async function diff(
  url: string,
  schema: SchemaFile[],
  from: DiffTarget,
  to: DiffTarget,
): Promise<SchemaDiff> {
  return withSchemaEngine(url, schema, async (engine) => {
    const summary = await engine.diff({
      from,
      to,
      script: false,
      exitCode: true,
      filters: noFilters,
    });
    // exitCode 2 means "non-empty diff" (the CLI's --exit-code contract).
    if (summary.exitCode !== 2) return { empty: true, summary: "", script: "" };
    const script = await engine.diff({
      from,
      to,
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    return {
      empty: false,
      summary: (summary.stdout ?? "").trim(),
      script: (script.stdout ?? "").trim(),
    };
  });
}

/**
 * What the committed migrations produce vs what schema.prisma describes. The migrations are
 * replayed on a temporary shadow database created (and dropped) on the server of `url`.
 */
export async function diffMigrationsToSchema(options: MigrateOptions): Promise<SchemaDiff> {
  const migrationsList = await readMigrations(options.migrationsDir ?? paths.migrations);
  const schema = options.schema ?? (await readSchema());
  return diff(
    options.url,
    schema,
    { tag: "migrations", ...migrationsList },
    { tag: "schemaDatamodel", files: schema },
  );
}

/** What the live database at `url` contains vs what schema.prisma describes. */
export async function diffDatabaseToSchema(
  options: Omit<MigrateOptions, "migrationsDir">,
): Promise<SchemaDiff> {
  const schema = options.schema ?? (await readSchema());
  return diff(
    options.url,
    schema,
    { tag: "schemaDatasource", files: schema, configDir: paths.repoRoot },
    { tag: "schemaDatamodel", files: schema },
  );
}

export interface CreatedMigration {
  name: string;
  file: string;
  script: string;
  summary: string;
}

/**
 * Writes a new migration folder with the SQL that brings the committed migrations up to
 * schema.prisma. Returns null (and writes nothing) when there is nothing to migrate.
 */
export async function createMigration(
  options: MigrateOptions & { name: string; now?: Date },
): Promise<CreatedMigration | null> {
  const dir = options.migrationsDir ?? paths.migrations;
  const migrationsList = await readMigrations(dir);
  const folder = nextMigrationDirName(
    options.name,
    options.now ?? new Date(),
    migrationsList.migrationDirectories.map((d) => d.path),
  );
  const result = await diffMigrationsToSchema({ ...options, migrationsDir: dir });
  if (result.empty) return null;
  const file = await writeMigration(dir, folder, result.script);
  return { name: folder, file, script: result.script, summary: result.summary };
}
