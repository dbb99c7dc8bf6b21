import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  isMigrationDirName,
  migrationTimestamp,
  nextMigrationDirName,
  normalizeMigrationName,
  readMigrations,
  writeMigration,
} from "./migrations.ts";

describe("normalizeMigrationName", () => {
  it.each([
    ["init", "init"],
    ["Add build labels", "add_build_labels"],
    ["  add-build.labels!! ", "add_build_labels"],
    ["__x__", "x"],
    ["v2_Audit", "v2_audit"],
  ])("%j -> %j", (raw, expected) => {
    expect(normalizeMigrationName(raw)).toBe(expected);
  });

  it.each(["", "   ", "---", "../..", "ü"])("rejects %j", (raw) => {
    expect(() => normalizeMigrationName(raw)).toThrow(/Invalid migration name/);
  });

  it("rejects over-long names", () => {
    expect(() => normalizeMigrationName("a".repeat(201))).toThrow(/longer than 200/);
  });
});

describe("migration folder names", () => {
  it("uses a UTC timestamp like Prisma", () => {
    expect(migrationTimestamp(new Date("2026-03-04T05:06:07.890Z"))).toBe("20260304050607");
  });

  it("sorts after existing migrations even when the clock is behind", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    expect(nextMigrationDirName("x", now, [])).toBe("20260101000000_x");
    expect(nextMigrationDirName("x", now, ["20270101000000_future"])).toBe("20270101000001_x");
  });

  it("recognises migration folders", () => {
    expect(isMigrationDirName("20260101000000_init")).toBe(true);
    expect(isMigrationDirName("init")).toBe(false);
    expect(isMigrationDirName("2026_init")).toBe(false);
  });
});

describe("readMigrations / writeMigration", () => {
  it("round-trips the Prisma folder layout", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "slipway-mig-"));
    try {
      const empty = await readMigrations(dir);
      expect(empty.migrationDirectories).toEqual([]);
      expect(empty.lockfile.content).toContain('provider = "postgresql"');

      await writeMigration(dir, "20260102000000_second", "SELECT 2;");
      await writeMigration(dir, "20260101000000_first", "SELECT 1;");
      await mkdir(path.join(dir, "20260103000000_broken"));
      await writeFile(path.join(dir, "README.txt"), "not a migration");

      const list = await readMigrations(dir);
      expect(list.baseDir).toBe(dir);
      expect(list.migrationDirectories.map((d) => d.path)).toEqual([
        "20260101000000_first",
        "20260102000000_second",
        "20260103000000_broken",
      ]);
      expect(list.migrationDirectories[0]?.migrationFile.content).toEqual({
        tag: "ok",
        value: "SELECT 1;\n",
      });
      expect(list.migrationDirectories[2]?.migrationFile.content.tag).toBe("error");
      expect(await readFile(path.join(dir, "migration_lock.toml"), "utf8")).toContain(
        'provider = "postgresql"',
      );
      // Never overwrites an existing migration.
      await expect(writeMigration(dir, "20260101000000_first", "SELECT 9;")).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
