// The committed migrations must produce exactly what prisma/schema.prisma describes, and the
// check must notice when they do not.

import { cp, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDbEnv } from "../env.ts";
import { quoteIdent, withAdminClient } from "./engine.ts";
import {
  applyMigrations,
  createMigration,
  diffDatabaseToSchema,
  diffMigrationsToSchema,
  paths,
  withDatabase,
} from "./index.ts";
import { readSchema } from "./migrations.ts";

const baseUrl = loadDbEnv().DATABASE_URL;
const created: string[] = [];

/** An empty database (not from the template: these tests apply the migrations themselves). */
async function emptyDatabase(label: string): Promise<string> {
  const name = `slipway_test_${Date.now().toString(36)}_drift_${label}`;
  await withAdminClient(baseUrl, (c) => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
  created.push(name);
  return withDatabase(baseUrl, name);
}

async function sql(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** schema.prisma with one extra optional field on Build. */
async function schemaWithExtraField() {
  const [file] = await readSchema();
  if (!file) throw new Error("schema.prisma missing");
  const content = file.content.replace(
    /(model Build \{\n)/,
    '$1  runnerLabel String? @map("runner_label")\n',
  );
  expect(content).not.toBe(file.content);
  return [{ ...file, content }];
}

afterAll(async () => {
  await withAdminClient(baseUrl, async (c) => {
    for (const name of created) {
      await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    }
  });
});

describe("committed migrations vs schema.prisma", () => {
  let url: string;

  beforeAll(async () => {
    url = await emptyDatabase("fresh");
  });

  it("apply to a fresh database, and a second apply is a no-op", async () => {
    const migrationDirs = (await readdir(paths.migrations, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(migrationDirs.length).toBeGreaterThan(0);

    expect(await applyMigrations({ url })).toEqual(migrationDirs);
    expect(await applyMigrations({ url })).toEqual([]);
  });

  it("leave the live database exactly as schema.prisma describes (empty diff)", async () => {
    const d = await diffDatabaseToSchema({ url });
    expect(d.summary).toBe("");
    expect(d.empty).toBe(true);
  });

  it("replayed on a shadow database, produce schema.prisma (migrate:check passes)", async () => {
    const d = await diffMigrationsToSchema({ url: baseUrl });
    expect(d.script).toBe("");
    expect(d.empty).toBe(true);
  });

  it("detect a column added to the database by hand", async () => {
    await sql(url, 'ALTER TABLE "builds" ADD COLUMN "sneaky_note" TEXT');
    const d = await diffDatabaseToSchema({ url });
    expect(d.empty).toBe(false);
    expect(d.summary).toContain("builds");
    expect(d.script).toContain("sneaky_note");
    expect(d.script).toMatch(/DROP COLUMN "sneaky_note"/);
  });

  it("detect a schema field that no migration creates", async () => {
    const schema = await schemaWithExtraField();
    const d = await diffMigrationsToSchema({ url: baseUrl, schema });
    expect(d.empty).toBe(false);
    expect(d.script).toMatch(/ALTER TABLE "builds" ADD COLUMN\s+"runner_label" TEXT/);
  });
});

describe("createMigration (migrate:new)", () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "slipway-migrations-"));
    await cp(paths.migrations, dir, { recursive: true });
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("refuses to write an empty migration", async () => {
    const before = await readdir(dir);
    expect(await createMigration({ url: baseUrl, migrationsDir: dir, name: "nothing" })).toBeNull();
    expect(await readdir(dir)).toEqual(before);
  });

  it("writes the missing change as a new migration that then applies cleanly", async () => {
    const schema = await schemaWithExtraField();
    const made = await createMigration({
      url: baseUrl,
      migrationsDir: dir,
      schema,
      name: "Add runner label",
      now: new Date("2099-01-02T03:04:05Z"),
    });
    expect(made?.name).toBe("20990102030405_add_runner_label");
    const written = await readFile(
      path.join(dir, "20990102030405_add_runner_label/migration.sql"),
      "utf8",
    );
    expect(written).toContain('"runner_label"');
    expect(await readFile(path.join(dir, "migration_lock.toml"), "utf8")).toContain(
      'provider = "postgresql"',
    );

    // With the new migration the migrations and the changed schema agree again.
    expect((await diffMigrationsToSchema({ url: baseUrl, migrationsDir: dir, schema })).empty).toBe(
      true,
    );
    const url = await emptyDatabase("new");
    const applied = await applyMigrations({ url, migrationsDir: dir, schema });
    expect(applied.at(-1)).toBe("20990102030405_add_runner_label");
    expect((await diffDatabaseToSchema({ url, schema })).empty).toBe(true);
  });
});
