// `@slipway/db/seed`: the demo seed, for scripts/seed.ts and the package's `seed` script.

import { loadDbEnv } from "../env.ts";
import { createDb } from "../index.ts";
import { applyMigrations } from "../migrate/index.ts";
import { type DemoSeedResult, seedDemo } from "./demo.ts";

export * from "./demo.ts";
export { createRng, type Rng } from "./prng.ts";

/**
 * Applies pending migrations to `url`, then seeds the demo (a no-op if it exists).
 * Returns the seed result and the migrations that had to be applied first.
 */
export async function runDemoSeed({
  url = loadDbEnv().DATABASE_URL,
  now = new Date(),
}: {
  url?: string;
  now?: Date;
} = {}): Promise<DemoSeedResult & { appliedMigrations: string[] }> {
  const appliedMigrations = await applyMigrations({ url });
  const db = createDb(url, { max: 2 });
  try {
    return { ...(await seedDemo(db, { now })), appliedMigrations };
  } finally {
    await db.$disconnect();
  }
}

export function describeSeed(r: DemoSeedResult): string {
  const byStatus = new Map<string, number>();
  for (const b of r.builds) byStatus.set(b.status, (byStatus.get(b.status) ?? 0) + 1);
  const statuses = [...byStatus].map(([s, n]) => `${n} ${s.toLowerCase()}`).join(", ");
  return (
    `${r.created ? "seeded" : "already seeded"} org "${r.org.name}" (${r.org.slug}): ` +
    `${r.users.length} members, ${r.projects.length} projects, ${r.builds.length} builds (${statuses})`
  );
}
