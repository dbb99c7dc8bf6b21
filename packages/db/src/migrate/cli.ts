// `npm run migrate | migrate:new -- <name> | migrate:check [-- --database]` (packages/db).
// Offline: uses the WASM schema engine, never downloads a binary.

import path from "node:path";
import { loadDbEnv } from "../env.ts";
import {
  applyMigrations,
  createMigration,
  diffDatabaseToSchema,
  diffMigrationsToSchema,
  paths,
  type SchemaDiff,
} from "./index.ts";

const USAGE = `usage:
  migrate apply             apply pending migrations in prisma/migrations to DATABASE_URL
  migrate new <name>        write prisma/migrations/<timestamp>_<name>/migration.sql from schema.prisma
  migrate check [--database]
                            fail if the migrations do not produce schema.prisma exactly
                            (--database: also compare the live DATABASE_URL database)`;

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}

function printDiff(title: string, d: SchemaDiff): void {
  console.error(`\n${title}\n\n${d.summary}\n\nSQL needed to get there:\n\n${d.script}\n`);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { DATABASE_URL: url } = loadDbEnv();
  const rel = (p: string) => path.relative(process.cwd(), p) || ".";

  switch (command) {
    case "apply": {
      const applied = await applyMigrations({ url });
      if (applied.length === 0) {
        console.log(`Database ${redact(url)} is up to date; no migration applied.`);
      } else {
        console.log(`Applied ${applied.length} migration(s) to ${redact(url)}:`);
        for (const name of applied) console.log(`  - ${name}`);
      }
      return 0;
    }
    case "new": {
      const name = rest.filter((a) => !a.startsWith("-")).join("_");
      if (!name) {
        console.error(
          "migrate:new needs a name, e.g. `npm run migrate:new -w @slipway/db -- add_labels`",
        );
        return 2;
      }
      const created = await createMigration({ url, name });
      if (!created) {
        console.error(
          "schema.prisma and prisma/migrations already agree; refusing to write an empty migration.",
        );
        return 1;
      }
      console.log(`Wrote ${rel(created.file)}\n\n${created.summary}\n`);
      if (/\bDROP\b/i.test(created.script)) {
        console.log(
          "Note: this migration drops something; review it for data loss before committing.",
        );
      }
      return 0;
    }
    case "check": {
      let ok = true;
      const fromMigrations = await diffMigrationsToSchema({ url });
      if (!fromMigrations.empty) {
        ok = false;
        printDiff(
          `Drift: ${rel(paths.migrations)} does not produce what ${rel(paths.schema)} describes. ` +
            "Run `npm run migrate:new -w @slipway/db -- <name>`.",
          fromMigrations,
        );
      }
      if (rest.includes("--database")) {
        const fromDatabase = await diffDatabaseToSchema({ url });
        if (!fromDatabase.empty) {
          ok = false;
          printDiff(
            `Drift: the database at ${redact(url)} differs from schema.prisma.`,
            fromDatabase,
          );
        }
      }
      if (ok) console.log("Migrations match schema.prisma.");
      return ok ? 0 : 1;
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
