// Global setup of vitest's "integration" project: prepares the migrated template database that
// `createTestDatabase()` (@slipway/db/testing) clones for every integration test file.
// The template is rebuilt from prisma/migrations whenever a migration changed
// (SLIPWAY_TEST_TEMPLATE_REFRESH=1 forces a rebuild).

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export default async function setup(): Promise<void> {
  // A fresh checkout has no generated Prisma client yet (it is gitignored).
  if (!existsSync(path.join(root, "packages/db/src/generated/prisma/client.ts"))) {
    const gen = spawnSync("npm", ["run", "generate", "-w", "@slipway/db"], {
      cwd: root,
      stdio: "inherit",
    });
    if (gen.status !== 0)
      throw new Error("integration setup: `npm run generate -w @slipway/db` failed");
  }
  const { loadDbEnv } = await import("@slipway/db");
  const { prepareTestTemplate, TEST_TEMPLATE_DATABASE } = await import("@slipway/db/testing");

  const { DATABASE_URL } = loadDbEnv();
  const { SLIPWAY_TEST_TEMPLATE_REFRESH } = process.env;
  const started = Date.now();
  try {
    const rebuilt = await prepareTestTemplate(DATABASE_URL, {
      force: SLIPWAY_TEST_TEMPLATE_REFRESH === "1",
    });
    if (rebuilt) {
      console.log(
        `[db] rebuilt ${TEST_TEMPLATE_DATABASE} from migrations in ${Date.now() - started} ms`,
      );
    }
  } catch (err) {
    throw new Error(
      `integration setup: could not prepare ${TEST_TEMPLATE_DATABASE} on ${new URL(DATABASE_URL).host} ` +
        `(is PostgreSQL running? scripts/start starts it): ${(err as Error).message}`,
      { cause: err },
    );
  }
}
