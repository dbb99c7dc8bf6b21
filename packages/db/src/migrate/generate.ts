// `npm run generate` (packages/db): `prisma generate` without any download.
// The Prisma CLI resolves (and otherwise downloads) its native schema-engine binary before every
// command, although generating the client never runs it. Pointing PRISMA_SCHEMA_ENGINE_BINARY at
// a harmless executable satisfies that lookup; the client itself is built from WASM in the CLI.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const pkgDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const output = path.join(pkgDir, "src", "generated", "prisma", "client.ts");
const harmless = ["/bin/true", "/usr/bin/true"].find((p) => existsSync(p)) ?? process.execPath;
const prismaCli = createRequire(import.meta.url).resolve("prisma/build/index.js");

const result = spawnSync(process.execPath, [prismaCli, "generate"], {
  cwd: pkgDir,
  stdio: "inherit",
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? harmless,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    PRISMA_HIDE_PRISMA_OPTIMIZE_HINT: "1",
    CHECKPOINT_DISABLE: "1",
  },
});

if (result.status !== 0) {
  console.error(`prisma generate failed (exit ${result.status ?? result.signal})`);
  process.exit(result.status ?? 1);
}
if (!existsSync(output)) {
  console.error(`prisma generate succeeded but ${path.relative(process.cwd(), output)} is missing`);
  process.exit(1);
}
