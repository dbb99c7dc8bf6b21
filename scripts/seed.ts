// `npm run seed`: demo data for a local Slipway. Seeds PostgreSQL (migrations first), then hands
// the seeded builds to the telemetry seed if @slipway/telemetry provides one. Idempotent.

import path from "node:path";
import { fileURLToPath } from "node:url";
import { createDb, loadDbEnv } from "@slipway/db";
import { type DemoSeedResult, describeSeed, runDemoSeed } from "@slipway/db/seed";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { SLIPWAY_STATE_DIR } = process.env;
const stateDir = SLIPWAY_STATE_DIR ?? path.join(root, ".slipway");

type SeedTelemetry = (input: {
  builds: DemoSeedResult["builds"];
  org: DemoSeedResult["org"];
  projects: DemoSeedResult["projects"];
  stateDir: string;
}) => Promise<unknown> | unknown;
type SeedDockerfiles = (input: {
  builds: DemoSeedResult["builds"];
  projects: DemoSeedResult["projects"];
}) => { buildId: string; text: string }[];

/** The telemetry seed hooks, or why there are none. */
async function loadTelemetrySeed(): Promise<
  { seedTelemetry: SeedTelemetry; seedDockerfiles: SeedDockerfiles } | string
> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import("@slipway/telemetry")) as Record<string, unknown>;
  } catch (err) {
    return `skipped (@slipway/telemetry not loadable: ${(err as Error).message.split("\n")[0]})`;
  }
  if (typeof mod.seedTelemetry !== "function") return "skipped (no seedTelemetry export)";
  if (typeof mod.seedDockerfiles !== "function") return "skipped (no seedDockerfiles export)";
  return {
    seedTelemetry: mod.seedTelemetry as SeedTelemetry,
    seedDockerfiles: mod.seedDockerfiles as SeedDockerfiles,
  };
}

/**
 * Gives the demo builds the Dockerfile their telemetry points into (lint findings, step lines),
 * for the builds that have none yet: a demo seeded before builds kept it gets it too.
 */
async function storeDockerfiles(files: { buildId: string; text: string }[]): Promise<number> {
  const db = createDb(loadDbEnv().DATABASE_URL, { max: 1 });
  try {
    return await db.$executeRaw`
      UPDATE builds AS b SET dockerfile_text = f.text
      FROM unnest(${files.map((f) => f.buildId)}::text[], ${files.map((f) => f.text)}::text[])
        AS f(id, text)
      WHERE b.id = f.id AND b.dockerfile_text IS NULL AND b.seeded`;
  } finally {
    await db.$disconnect();
  }
}

async function main(): Promise<void> {
  const result = await runDemoSeed();
  const parts = [describeSeed(result)];
  if (result.appliedMigrations.length > 0) {
    parts.unshift(`applied ${result.appliedMigrations.length} migration(s)`);
  }

  const hooks = await loadTelemetrySeed();
  if (typeof hooks === "string") {
    parts.push(`telemetry ${hooks}`);
  } else {
    const { builds, org, projects } = result;
    const stored = await storeDockerfiles(hooks.seedDockerfiles({ builds, projects }));
    if (stored > 0) parts.push(`${stored} Dockerfiles`);
    const out = (await hooks.seedTelemetry({ builds, org, projects, stateDir })) as
      | { skipped?: boolean; events?: number }
      | undefined;
    parts.push(
      out?.skipped
        ? "telemetry already seeded"
        : `telemetry seeded${out?.events ? ` (${out.events} events)` : ""}`,
    );
  }
  console.log(`seed: ${parts.join("; ")}`);
}

main().catch((err: unknown) => {
  console.error("seed failed:", err instanceof Error ? (err.stack ?? err.message) : err);
  process.exitCode = 1;
});
