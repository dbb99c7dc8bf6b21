// `npm run seed`: demo data for a local Slipway. Seeds PostgreSQL (migrations first), then hands
// the seeded builds to the telemetry seed if @slipway/telemetry provides one. Idempotent.

import path from "node:path";
import { fileURLToPath } from "node:url";
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

/** The telemetry seed hook, or why there is none. */
async function loadTelemetrySeed(): Promise<SeedTelemetry | string> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import("@slipway/telemetry")) as Record<string, unknown>;
  } catch (err) {
    return `skipped (@slipway/telemetry not loadable: ${(err as Error).message.split("\n")[0]})`;
  }
  if (typeof mod.seedTelemetry !== "function") return "skipped (no seedTelemetry export)";
  return mod.seedTelemetry as SeedTelemetry;
}

async function main(): Promise<void> {
  const result = await runDemoSeed();
  const parts = [describeSeed(result)];
  if (result.appliedMigrations.length > 0) {
    parts.unshift(`applied ${result.appliedMigrations.length} migration(s)`);
  }

  const seedTelemetry = await loadTelemetrySeed();
  if (typeof seedTelemetry === "string") {
    parts.push(`telemetry ${seedTelemetry}`);
  } else {
    const { builds, org, projects } = result;
    const out = (await seedTelemetry({ builds, org, projects, stateDir })) as
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
