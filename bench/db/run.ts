// Why integration tests clone a template database: a fresh database per test file made by
// cloning the migrated template, against the baseline of creating an empty one and applying
// every migration through the schema engine, in the same run on the same server.
//
//   npx tsx bench/db/run.ts [rounds]     (needs PostgreSQL from scripts/start)

import { randomBytes } from "node:crypto";
import { loadDbEnv } from "@slipway/db";
import { applyMigrations, withDatabase } from "@slipway/db/migrate";
import { createTestDatabase, prepareTestTemplate } from "@slipway/db/testing";
import pg from "pg";

const rounds = Number(process.argv[2] ?? 8);
const { DATABASE_URL } = loadDbEnv();

async function dropDatabase(name: string): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await client.end();
}

async function timed(run: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

await prepareTestTemplate(DATABASE_URL);
const cloneTimes: number[] = [];
const migrateTimes: number[] = [];
// Interleaved so both sides see the same machine noise.
for (let round = 0; round < rounds; round++) {
  let drop: (() => Promise<void>) | undefined;
  cloneTimes.push(
    await timed(async () => {
      const database = await createTestDatabase(DATABASE_URL);
      drop = database.drop;
    }),
  );
  await drop?.();

  const name = `slipway_bench_${randomBytes(4).toString("hex")}`;
  migrateTimes.push(
    await timed(async () => {
      await applyMigrations({ url: withDatabase(DATABASE_URL, name) });
    }),
  );
  await dropDatabase(name);
}

const clone = median(cloneTimes);
const migrate = median(migrateTimes);
console.log(`\nFresh database per test file, median of ${rounds} rounds\n`);
console.log("| method                         | median ms | vs baseline |");
console.log("| ------------------------------ | --------: | ----------: |");
console.log(
  `| clone migrated template        | ${clone.toFixed(0).padStart(9)} | ${(clone / migrate).toFixed(2).padStart(10)}x |`,
);
console.log(
  `| create + apply migrations      | ${migrate.toFixed(0).padStart(9)} | ${"1.00".padStart(10)}x |`,
);
