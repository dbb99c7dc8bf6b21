// `npm run seed -w @slipway/db`: applies migrations, then seeds the demo org (idempotent).
// The repository-wide seed (Postgres + telemetry) is scripts/seed.ts.

import { describeSeed, runDemoSeed } from "./index.ts";

runDemoSeed().then(
  (result) => {
    if (result.appliedMigrations.length > 0) {
      console.log(`applied migrations: ${result.appliedMigrations.join(", ")}`);
    }
    console.log(describeSeed(result));
  },
  (err: unknown) => {
    console.error("seed failed:", err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
