import { describe, expect, it } from "vitest";
import { loadMigrations, splitStatements } from "./migrate.ts";

describe("ClickHouse migration files", () => {
  const migrations = loadMigrations();

  it("are numbered 1..n without gaps, each with up and down", () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    for (const m of migrations) {
      expect(splitStatements(m.up).length).toBeGreaterThan(0);
      expect(splitStatements(m.down).length).toBeGreaterThan(0);
    }
  });

  it("create versioned ReplacingMergeTree tables keyed by org first and event id last", () => {
    const statements = migrations.flatMap((m) => splitStatements(m.up));
    const tables = statements.filter((s) => /^CREATE TABLE/.test(s));
    const eventTables = tables.filter((s) => /_v\d+\s*\(/.test(s) && !/_latest_v\d+/.test(s));
    expect(eventTables.map((s) => /CREATE TABLE IF NOT EXISTS (\w+)/.exec(s)?.[1]).sort()).toEqual([
      "build_steps_v1",
      "builds_v1",
      "cache_snapshots_v1",
      "lint_findings_v1",
      "runner_jobs_v1",
      "runner_steps_v1",
    ]);
    for (const s of eventTables) {
      expect(s).toMatch(/ENGINE = ReplacingMergeTree/);
      expect(s).toMatch(/ORDER BY \(org_id, [^)]*event_id\)/);
    }
    for (const s of tables) expect(s).toMatch(/IF NOT EXISTS/);
  });

  it("keep rollups tenant-first, fed by *_mv_v1 views created IF NOT EXISTS", () => {
    const statements = migrations.flatMap((m) => splitStatements(m.up));
    const rollups = statements.filter((s) => /^CREATE TABLE IF NOT EXISTS \w+_latest_v\d+/.test(s));
    expect(rollups.length).toBeGreaterThan(0);
    for (const s of rollups) expect(s).toMatch(/ORDER BY \(org_id, /);
    const views = statements.filter((s) => /^CREATE MATERIALIZED VIEW/.test(s));
    for (const v of views)
      expect(v).toMatch(/^CREATE MATERIALIZED VIEW IF NOT EXISTS \w+_mv_v\d+ TO /);
  });
});
