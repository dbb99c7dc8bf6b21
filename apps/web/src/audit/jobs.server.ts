// The audit log's background jobs in the web server process: hourly digests (written for every
// full hour, idempotent) and retention (whole expired days). A timer every 10 minutes keeps the
// hookup tiny: both jobs are idempotent and take a per-org lock, so several web processes may
// run them at once. Started once per process by `ensureAuditJobs()` (when the production server
// build loads, and from the audit page); never under vitest, whose tests run the jobs themselves.

import { purgeExpiredAuditEvents, writeAuditDigests } from "@slipway/db";
import { getDb } from "../db.server";

const INTERVAL_MS = 10 * 60_000;
const holder = globalThis as typeof globalThis & { __slipwayAuditJobs?: NodeJS.Timeout };

export async function runAuditJobs(): Promise<void> {
  const db = getDb();
  try {
    await writeAuditDigests(db);
    await purgeExpiredAuditEvents(db);
  } catch (error) {
    console.error("[slipway audit] digest/retention job failed; retrying in 10 minutes", error);
  }
}

export function ensureAuditJobs(): void {
  if (holder.__slipwayAuditJobs || process.env.VITEST) return;
  holder.__slipwayAuditJobs = setInterval(() => void runAuditJobs(), INTERVAL_MS);
  holder.__slipwayAuditJobs.unref();
  setTimeout(() => void runAuditJobs(), 5_000).unref();
}

// The production server build evaluates every route's server modules at start-up, so the jobs
// run from boot, not only once someone opens the audit page.
if (process.env.NODE_ENV === "production") ensureAuditJobs();
