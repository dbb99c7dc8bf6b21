import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type TelemetryStore, toClickHouseDateTime } from "./store.ts";

export interface Migration {
  version: number;
  name: string;
  up: string;
  down: string;
  /** sha256 of the up file: an applied migration must not change afterwards. */
  checksum: string;
}

export const MIGRATIONS_DIR = fileURLToPath(new URL("./migrations/", import.meta.url));

const FILE = /^(\d{4})_([a-z0-9_]+)\.(up|down)\.sql$/;

/** Reads `NNNN_name.up.sql` / `NNNN_name.down.sql` pairs, ordered by number. */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const byVersion = new Map<number, { name: string; up?: string; down?: string }>();
  for (const file of readdirSync(dir).sort()) {
    const m = FILE.exec(file);
    if (!m) continue;
    const [, num, name, direction] = m;
    const version = Number(num);
    const entry = byVersion.get(version) ?? { name: name ?? "" };
    if (entry.name !== name) {
      throw new Error(`migration ${num} has two names: ${entry.name} and ${name}`);
    }
    const text = readFileSync(join(dir, file), "utf8");
    if (direction === "up") entry.up = text;
    else entry.down = text;
    byVersion.set(version, entry);
  }
  return [...byVersion.entries()]
    .sort(([a], [b]) => a - b)
    .map(([version, e]) => {
      if (e.up === undefined || e.down === undefined) {
        throw new Error(
          `migration ${version}_${e.name} needs both an .up.sql and a .down.sql file`,
        );
      }
      return {
        version,
        name: e.name,
        up: e.up,
        down: e.down,
        checksum: createHash("sha256").update(e.up).digest("hex"),
      };
    });
}

/**
 * Splits a migration file into statements on `;` outside quotes and comments, dropping
 * comments (the server driver runs one statement per request).
 */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let current = "";
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i] ?? "";
    const next = sql[i + 1] ?? "";
    if (ch === "-" && next === "-") {
      const end = sql.indexOf("\n", i);
      i = end === -1 ? sql.length : end;
      continue;
    }
    if (ch === "/" && next === "*") {
      const end = sql.indexOf("*/", i + 2);
      i = end === -1 ? sql.length : end + 2;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === "`") {
      let j = i + 1;
      while (j < sql.length && sql[j] !== ch) j += sql[j] === "\\" ? 2 : 1;
      current += sql.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (ch === ";") {
      if (current.trim()) out.push(current.trim());
      current = "";
      i++;
      continue;
    }
    current += ch;
    i++;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

const BOOTSTRAP = `
CREATE TABLE IF NOT EXISTS schema_migrations
(
    version    UInt32,
    name       String,
    checksum   String,
    applied    Bool,
    changed_at DateTime64(3, 'UTC'),
    revision   UInt64
)
ENGINE = ReplacingMergeTree(revision)
ORDER BY version`;

export interface MigrationState {
  version: number;
  name: string;
  checksum: string;
}

/** Migrations recorded as applied (the latest record per version wins). */
export async function appliedMigrations(store: TelemetryStore): Promise<MigrationState[]> {
  await store.exec(BOOTSTRAP);
  const rows = await store.query<MigrationState & { applied: boolean | number }>(
    "SELECT version, name, checksum, applied FROM schema_migrations FINAL ORDER BY version",
  );
  return rows
    .filter((r) => r.applied === true || r.applied === 1)
    .map(({ version, name, checksum }) => ({ version: Number(version), name, checksum }));
}

let lastRevision = 0;
function nextRevision(): number {
  lastRevision = Math.max(lastRevision + 1, Date.now() * 1000);
  return lastRevision;
}

async function record(store: TelemetryStore, m: Migration, applied: boolean) {
  await store.insert("schema_migrations", [
    {
      version: m.version,
      name: m.name,
      checksum: m.checksum,
      applied,
      changed_at: toClickHouseDateTime(new Date()),
      revision: nextRevision(),
    },
  ]);
}

async function runFile(store: TelemetryStore, sql: string) {
  for (const statement of splitStatements(sql)) await store.exec(statement);
}

export interface MigrateResult {
  applied: { version: number; name: string }[];
  /** The highest applied version after the run (0: none). */
  current: number;
}

/**
 * Applies pending migrations in order, recording each in `schema_migrations`. Safe to run again
 * (and concurrently against a server: every statement is `IF NOT EXISTS`). Refuses to run when
 * an applied migration's file was edited afterwards.
 */
export async function migrateClickHouse(
  store: TelemetryStore,
  migrations: readonly Migration[] = loadMigrations(),
): Promise<MigrateResult> {
  const done = new Map((await appliedMigrations(store)).map((m) => [m.version, m]));
  for (const m of migrations) {
    const prior = done.get(m.version);
    if (prior && prior.checksum !== m.checksum) {
      throw new Error(
        `ClickHouse migration ${m.version}_${m.name} was changed after it was applied ` +
          "(add a new migration instead of editing an applied one)",
      );
    }
  }
  const applied: MigrateResult["applied"] = [];
  for (const m of migrations) {
    if (done.has(m.version)) continue;
    await runFile(store, m.up);
    await record(store, m, true);
    applied.push({ version: m.version, name: m.name });
  }
  const versions = [...done.keys(), ...applied.map((a) => a.version)];
  return { applied, current: versions.length ? Math.max(...versions) : 0 };
}

/** Reverts the last `steps` applied migrations, newest first, with their .down.sql files. */
export async function rollbackClickHouse(
  store: TelemetryStore,
  steps = 1,
  migrations: readonly Migration[] = loadMigrations(),
): Promise<{ reverted: { version: number; name: string }[] }> {
  const done = (await appliedMigrations(store)).sort((a, b) => b.version - a.version);
  const reverted: { version: number; name: string }[] = [];
  for (const state of done.slice(0, steps)) {
    const m = migrations.find((x) => x.version === state.version);
    if (!m) throw new Error(`no files for applied ClickHouse migration ${state.version}`);
    await runFile(store, m.down);
    await record(store, m, false);
    reverted.push({ version: m.version, name: m.name });
  }
  return { reverted };
}
