/**
 * A scripted month of usage written as real telemetry events into an embedded ClickHouse store,
 * rolled up into PostgreSQL and invoiced: the invoice must equal the one computed by hand below.
 * Also: recomputation gives identical rows, finalised invoices never change, the SQL runner-type
 * rule matches runnerTypeOf(), one org's usage never reaches another, audited mutations.
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Db } from "@slipway/db";
import { createOrg, createTestDatabase, ensurePlans, type TestDatabase } from "@slipway/db/testing";
import {
  EmbeddedStore,
  migrateClickHouse,
  type TelemetryEvent,
  type TelemetryStore,
  telemetryEvent,
  writeEvents,
} from "@slipway/telemetry";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runnerTypeOf } from "./money.ts";
import { computeUsageRows, replaceUsageRows, rollupUsage, type UsageRow } from "./rollup/index.ts";
import { runRollupJob } from "./rollup/worker.ts";
import {
  BillingError,
  billingOverview,
  buildRefusal,
  changePlan,
  closePeriod,
  getInvoice,
  periodUsage,
  updateSpendLimit,
  upsertDraftInvoice,
} from "./service.ts";

const FEB = { start: new Date("2026-02-01T00:00:00Z"), end: new Date("2026-03-01T00:00:00Z") };
const GB = 1_000_000_000;

let t: TestDatabase;
let db: Db;
let store: TelemetryStore;
let dir: string;
let orgA: string;
let orgB: string;
let orgRules: string;
const P1 = "proj-a1";
const P2 = "proj-a2";

const ev = (input: unknown): TelemetryEvent => telemetryEvent.parse(input);
const env = (orgId: string, projectId: string | null, time: string, id: string = randomUUID()) => ({
  id,
  schemaVersion: 1,
  orgId,
  projectId,
  time,
});
const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

let buildNo = 0;
/** build.started + build.finished; `finishedAt` is the finish event's time. */
function build(
  orgId: string,
  projectId: string,
  o: { platforms: string[]; finishedAt: string; ms: number; finishId?: string; started?: boolean },
): TelemetryEvent[] {
  const number = ++buildNo;
  const buildId = `b-${number}`;
  const startedAt = plus(o.finishedAt, -o.ms);
  const out: TelemetryEvent[] = [];
  if (o.started !== false) {
    out.push(
      ev({
        ...env(orgId, projectId, startedAt),
        type: "build.started",
        data: { buildId, number, platforms: o.platforms, queuedAt: startedAt, startedAt },
      }),
    );
  }
  out.push(
    ev({
      ...env(orgId, projectId, o.finishedAt, o.finishId),
      type: "build.finished",
      data: {
        buildId,
        number,
        status: "succeeded",
        startedAt,
        finishedAt: o.finishedAt,
        durationMs: o.ms,
        stepCount: 3,
        cachedStepCount: 1,
      },
    }),
  );
  return out;
}

let jobNo = 0;
function job(
  orgId: string,
  o: {
    labels: string[];
    queuedAt: string;
    ms: number;
    status?: "completed" | "in_progress";
    jobId?: number;
    projectId?: string | null;
  },
): TelemetryEvent {
  const jobId = o.jobId ?? ++jobNo + 1000;
  const startedAt = plus(o.queuedAt, 5_000);
  const done = (o.status ?? "completed") === "completed";
  const completedAt = done ? plus(startedAt, o.ms) : null;
  return ev({
    ...env(orgId, o.projectId ?? null, completedAt ?? startedAt),
    type: "runner.job",
    data: {
      repository: "acme/app",
      workflow: "ci",
      runId: 500 + jobId,
      runAttempt: 1,
      jobId,
      jobName: "test",
      labels: o.labels,
      runnerName: "r",
      runnerGroup: "slipway",
      status: o.status ?? "completed",
      conclusion: done ? "success" : null,
      queuedAt: o.queuedAt,
      startedAt,
      completedAt,
    },
  });
}

function snapshot(orgId: string, projectId: string, time: string, sizeBytes: number) {
  return ev({
    ...env(orgId, projectId, time),
    type: "cache.snapshot",
    data: { sizeBytes, reclaimableBytes: 0, entryCount: 10, hitCount: 0, missCount: 0 },
  });
}

/** The price list of this test (not the seeded plans, so the numbers stay small). */
const TEST_PLAN = {
  code: "test-metered",
  name: "Metered",
  monthlyPriceCents: 1_000,
  includedBuildMinutes: 20,
  includedRunnerMinutes: { "slipway-2cpu": 10 },
  includedCacheGb: 1,
  seats: 3,
  auditRetentionDays: 30,
  buildMinuteOverageCents: 7,
  runnerMinuteOverageCents: { "slipway-2cpu": 2, "slipway-4cpu": 5 },
  cacheGbMonthOverageCents: 30,
};

const resentFinishId = randomUUID();

function scriptedMonth(): TelemetryEvent[] {
  return [
    // Builds: two 30 s builds (one minute together, not two) ...
    ...build(orgA, P1, {
      platforms: ["linux/amd64"],
      finishedAt: "2026-02-03T10:00:00Z",
      ms: 30_000,
    }),
    ...build(orgA, P1, {
      platforms: ["linux/amd64"],
      finishedAt: "2026-02-03T11:00:00Z",
      ms: 30_000,
    }),
    // ... a two-platform build of 10 min 15 s counts twice: 1,230,000 ms ...
    ...build(orgA, P2, {
      platforms: ["linux/amd64", "linux/arm64"],
      finishedAt: "2026-02-10T12:00:00Z",
      ms: 615_000,
      finishId: resentFinishId,
    }),
    // ... a build across midnight counts on its finish day (February): 1,800,000 ms ...
    ...build(orgA, P1, {
      platforms: ["linux/arm64"],
      finishedAt: "2026-02-01T00:20:00Z",
      ms: 1_800_000,
    }),
    // ... but not one that finished in January or in March.
    ...build(orgA, P1, {
      platforms: ["linux/amd64"],
      finishedAt: "2026-01-31T23:00:00Z",
      ms: 300_000,
    }),
    ...build(orgA, P1, {
      platforms: ["linux/amd64"],
      finishedAt: "2026-03-01T00:00:01Z",
      ms: 300_000,
    }),
    // Runner jobs: slipway-2cpu 7 min 30 s + 4 min 45 s = 12.25 min -> 13 min.
    job(orgA, {
      labels: ["self-hosted", "slipway-2cpu"],
      queuedAt: "2026-02-05T09:00:00Z",
      ms: 450_000,
    }),
    job(orgA, {
      labels: ["slipway-2cpu"],
      queuedAt: "2026-02-06T09:00:00Z",
      ms: 285_000,
      projectId: P1,
    }),
    // Asking for 2cpu and 4cpu labels: billed as 4cpu (the larger). 90 s + 30 s = 2 min.
    job(orgA, {
      labels: ["slipway-2cpu", "slipway-4cpu"],
      queuedAt: "2026-02-07T09:00:00Z",
      ms: 90_000,
    }),
    // A job reported twice (in progress, then completed): counted once, as completed.
    job(orgA, {
      labels: ["slipway-4cpu"],
      queuedAt: "2026-02-08T09:00:00Z",
      ms: 0,
      status: "in_progress",
      jobId: 77,
    }),
    job(orgA, {
      labels: ["slipway-4cpu"],
      queuedAt: "2026-02-08T09:00:00Z",
      ms: 30_000,
      jobId: 77,
    }),
    // Not on a Slipway runner, or not finished: not metered.
    job(orgA, { labels: ["ubuntu-latest"], queuedAt: "2026-02-09T09:00:00Z", ms: 600_000 }),
    job(orgA, {
      labels: ["slipway-2cpu"],
      queuedAt: "2026-02-20T09:00:00Z",
      ms: 0,
      status: "in_progress",
    }),
    // Cache: P1 holds 2 GB from January, 4 GB from Feb 15; P2 holds 1 GB from Feb 27 12:00.
    snapshot(orgA, P1, "2026-01-20T00:00:00Z", 2 * GB),
    snapshot(orgA, P1, "2026-02-15T00:00:00Z", 4 * GB),
    snapshot(orgA, P2, "2026-02-27T12:00:00Z", 1 * GB),
    // Org B: usage of its own that must never show up in org A's numbers.
    ...build(orgB, "proj-b", {
      platforms: ["linux/amd64"],
      finishedAt: "2026-02-04T10:00:00Z",
      ms: 3_600_000,
    }),
    job(orgB, { labels: ["slipway-8cpu"], queuedAt: "2026-02-04T10:00:00Z", ms: 3_600_000 }),
    snapshot(orgB, "proj-b", "2026-02-02T00:00:00Z", 500 * GB),
  ];
}

/**
 * By hand (plan TEST_PLAN, February 2026 = 28 days):
 *   build: 30,000 + 30,000 + 2 x 615,000 + 1,800,000 = 3,090,000 ms = 51.5 min -> 52 min;
 *          52 - 20 included = 32 x 7 = 224 cents
 *   slipway-2cpu: 735,000 ms = 12.25 min -> 13; 13 - 10 = 3 x 2 = 6 cents
 *   slipway-4cpu: 120,000 ms = 2 min; none included: 2 x 5 = 10 cents
 *   cache: P1 2 GB x 14 d + 4 GB x 14 d, P2 1 GB x 1.5 d = 85.5 GB-days / 28 d = 3.05 GB-months;
 *          used rounds up to 4; overage 3.05 - 1 = 2.05 -> 3 GB-months x 30 = 90 cents
 *   total: 1,000 + 224 + 6 + 10 + 90 = 1,330 cents
 */
const EXPECTED_LINES = [
  {
    kind: "plan",
    description: "Metered plan, monthly",
    quantity: 1,
    unit: "month",
    unitPriceCents: 1_000,
    amountCents: 1_000,
    used: 1,
    included: 0,
  },
  {
    kind: "build_minutes",
    description: "Build minutes: 52 used, 20 included",
    quantity: 32,
    unit: "minute",
    unitPriceCents: 7,
    amountCents: 224,
    used: 52,
    included: 20,
  },
  {
    kind: "runner_minutes",
    label: "slipway-2cpu",
    description: "Runner minutes (slipway-2cpu): 13 used, 10 included",
    quantity: 3,
    unit: "minute",
    unitPriceCents: 2,
    amountCents: 6,
    used: 13,
    included: 10,
  },
  {
    kind: "runner_minutes",
    label: "slipway-4cpu",
    description: "Runner minutes (slipway-4cpu): 2 used, 0 included",
    quantity: 2,
    unit: "minute",
    unitPriceCents: 5,
    amountCents: 10,
    used: 2,
    included: 0,
  },
  {
    kind: "cache_storage",
    description: "Cache storage: 4 GB-months used, 1 included",
    quantity: 3,
    unit: "GB-month",
    unitPriceCents: 30,
    amountCents: 90,
    used: 4,
    included: 1,
  },
];

async function usageRows(orgId?: string) {
  const rows = await db.usageDaily.findMany({
    where: orgId ? { orgId } : {},
    orderBy: [
      { orgId: "asc" },
      { day: "asc" },
      { meter: "asc" },
      { key: "asc" },
      { projectId: "asc" },
    ],
  });
  return rows.map(({ computedAt: _, ...r }) => r);
}

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  await ensurePlans(db);
  const plan = await db.plan.create({ data: TEST_PLAN });
  orgA = (await createOrg(db)).id;
  orgB = (await createOrg(db)).id;
  orgRules = (await createOrg(db)).id;
  for (const orgId of [orgA, orgB]) {
    await db.subscription.create({
      data: {
        orgId,
        planId: plan.id,
        currentPeriodStart: FEB.start,
        currentPeriodEnd: FEB.end,
      },
    });
  }
  dir = await mkdtemp(join(tmpdir(), "slipway-billing-"));
  store = EmbeddedStore.open(join(dir, "clickhouse"));
  await migrateClickHouse(store);
  await writeEvents(store, scriptedMonth(), { source: "seed" });
}, 120_000);

afterAll(async () => {
  await store?.close();
  await t?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("a scripted month", () => {
  it("rolls up exact usage per day, meter and key", async () => {
    await rollupUsage(store, db, { from: FEB.start, to: FEB.end });
    const usage = await periodUsage(db, orgA, FEB);
    expect(usage.buildMs).toBe(3_090_000n);
    expect(usage.runnerMs).toEqual({ "slipway-2cpu": 735_000n, "slipway-4cpu": 120_000n });
    expect(usage.cacheByteSeconds).toBe(BigInt(85.5 * 86_400) * BigInt(GB));
    const rows = await usageRows(orgA);
    expect(
      rows.find((r) => r.meter === "build_ms" && r.key === "linux/arm64" && r.projectId === P2)
        ?.quantity,
    ).toBe(615_000n);
    expect(rows.every((r) => r.day >= FEB.start && r.day < FEB.end)).toBe(true);
  });

  it("closes the period with the invoice computed by hand, finalised, with one audit event", async () => {
    const before = await db.auditEvent.count({ where: { orgId: orgA } });
    // The worker's job: rolls the whole ended period up again, then closes it.
    const result = await runRollupJob(
      { kind: "recent" },
      store,
      db,
      new Date("2026-03-01T07:00:00Z"),
    );
    expect(result.closed.map((c) => c.orgId).sort()).toEqual([orgA, orgB].sort());
    const closed = result.closed.find((c) => c.orgId === orgA);
    const invoice = await getInvoice(db, orgA, closed?.invoiceId ?? "");
    expect(invoice.lineItems).toEqual(EXPECTED_LINES);
    expect(invoice.subtotalCents).toBe(1_330);
    expect(invoice.totalCents).toBe(1_330);
    expect(invoice.status).toBe("FINALIZED");
    const events = await db.auditEvent.findMany({
      where: { orgId: orgA, seq: { gt: BigInt(before) } },
    });
    expect(events.map((e) => e.action)).toEqual(["billing.invoice_finalized"]);
    const sub = await db.subscription.findUniqueOrThrow({ where: { orgId: orgA } });
    expect(sub.currentPeriodStart).toEqual(FEB.end);
    expect(sub.currentPeriodEnd).toEqual(new Date("2026-04-01T00:00:00Z"));
  });

  it("never changes a finalised invoice: in code, and in the database", async () => {
    const [invoice] = await db.invoice.findMany({ where: { orgId: orgA, periodStart: FEB.start } });
    if (!invoice) throw new Error("no invoice");
    const plan = await db.plan.findUniqueOrThrow({ where: { code: TEST_PLAN.code } });
    await expect(upsertDraftInvoice(db, orgA, plan, FEB)).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await expect(
      db.invoice.update({ where: { id: invoice.id }, data: { totalCents: 1 } }),
    ).rejects.toThrow(/finalized and cannot change/);
    // More usage arriving late and a second close change nothing.
    await writeEvents(
      store,
      build(orgA, P1, {
        platforms: ["linux/amd64"],
        finishedAt: "2026-02-20T10:00:00Z",
        ms: 600_000,
      }),
      { source: "seed" },
    );
    await rollupUsage(store, db, { from: FEB.start, to: FEB.end, orgIds: [orgA] });
    expect(await closePeriod(db, orgA, new Date("2026-03-02T00:00:00Z"))).toBeNull();
    const after = await db.invoice.findUniqueOrThrow({ where: { id: invoice.id } });
    expect(after.totalCents).toBe(1_330);
    expect(after.lineItems).toEqual(invoice.lineItems);
  });
});

describe("recomputation", () => {
  it("gives identical rows however often and in whatever pieces it runs", async () => {
    await rollupUsage(store, db, { from: FEB.start, to: FEB.end });
    const whole = await usageRows();
    await rollupUsage(store, db, { from: FEB.start, to: FEB.end });
    expect(await usageRows()).toEqual(whole);
    // Day by day, backwards: same rows.
    for (let d = 27; d >= 0; d--) {
      const from = new Date(FEB.start.getTime() + d * 86_400_000);
      await rollupUsage(store, db, { from, to: new Date(from.getTime() + 86_400_000) });
    }
    expect(await usageRows()).toEqual(whole);
    // A re-sent event (same id) counts once.
    // (build b-3 of the script, its finish event sent again with the same id)
    await writeEvents(
      store,
      build(orgA, P2, {
        platforms: ["linux/amd64"],
        finishedAt: "2026-02-10T12:00:00Z",
        ms: 615_000,
        finishId: resentFinishId,
        started: false,
      }).map((e) => ({ ...e, data: { ...e.data, buildId: "b-3", number: 3 } }) as TelemetryEvent),
      { source: "seed" },
    );
    await rollupUsage(store, db, { from: FEB.start, to: FEB.end });
    expect(await usageRows()).toEqual(whole);
  });

  it("scopes a recompute to the orgs asked for", async () => {
    const beforeA = await usageRows(orgA);
    await db.usageDaily.deleteMany({ where: { orgId: orgB } });
    await rollupUsage(store, db, { from: FEB.start, to: FEB.end, orgIds: [orgB] });
    expect(await usageRows(orgA)).toEqual(beforeA);
    const b = await periodUsage(db, orgB, FEB);
    expect(b.buildMs).toBe(3_600_000n);
    expect(b.runnerMs).toEqual({ "slipway-8cpu": 3_600_000n });
  });

  it("refuses ranges that are not whole UTC days", async () => {
    await expect(
      rollupUsage(store, db, { from: new Date("2026-02-01T01:00:00Z"), to: FEB.end }),
    ).rejects.toThrow(/from must be a UTC midnight/);
  });
});

describe("the usage_daily write", () => {
  // A month no other test uses.
  const JUNE = { from: new Date("2025-06-01T00:00:00Z"), to: new Date("2025-07-01T00:00:00Z") };
  const row = (orgId: string, day: string, quantity: bigint, key = "linux/amd64"): UsageRow => ({
    orgId,
    day,
    meter: "build_ms",
    key,
    projectId: "p",
    quantity,
  });
  const june = () =>
    db.usageDaily.findMany({
      where: { day: { gte: JUNE.from, lt: JUNE.to } },
      orderBy: [{ orgId: "asc" }, { day: "asc" }, { key: "asc" }],
      select: { orgId: true, day: true, key: true, quantity: true, computedAt: true },
    });

  it("writes only what changed, skips unknown orgs and days outside the range", async () => {
    const first = [
      row(orgA, "2025-06-01", 1_000n),
      row(orgA, "2025-06-02", 2_000n),
      row(orgB, "2025-06-02", 3_000n),
      row("no-such-org", "2025-06-03", 4_000n),
      row(orgA, "2025-07-01", 5_000n),
    ];
    expect(await replaceUsageRows(db, JUNE, first)).toEqual({
      rows: 3,
      skipped: 2,
      inserted: 3,
      deleted: 0,
    });
    const before = await june();
    expect(before.map((r) => [r.orgId, r.quantity])).toEqual([
      [orgA, 1_000n],
      [orgA, 2_000n],
      [orgB, 3_000n],
    ]);
    // The same rows again: nothing written, not even computed_at.
    expect(await replaceUsageRows(db, JUNE, first)).toMatchObject({ inserted: 0, deleted: 0 });
    expect(await june()).toEqual(before);
    // One changed, one gone, one new; given as batches.
    async function* batches() {
      yield [row(orgA, "2025-06-01", 1_000n), row(orgA, "2025-06-02", 2_500n)];
      yield [row(orgA, "2025-06-30", 7_000n)];
    }
    expect(await replaceUsageRows(db, JUNE, batches())).toEqual({
      rows: 3,
      skipped: 0,
      inserted: 2,
      deleted: 2,
    });
    const after = await june();
    expect(after.map((r) => [r.orgId, r.day.toISOString().slice(0, 10), r.quantity])).toEqual([
      [orgA, "2025-06-01", 1_000n],
      [orgA, "2025-06-02", 2_500n],
      [orgA, "2025-06-30", 7_000n],
    ]);
    expect(after[0]?.computedAt).toEqual(before[0]?.computedAt);
    // Nothing at all: the range is emptied.
    expect(await replaceUsageRows(db, JUNE, [])).toMatchObject({ rows: 0, deleted: 3 });
    expect(await june()).toEqual([]);
  });

  it("keeps other orgs when scoped, and stores awkward keys exactly", async () => {
    await replaceUsageRows(db, JUNE, [row(orgA, "2025-06-05", 1n), row(orgB, "2025-06-05", 2n)]);
    const odd = ["tab\there", "new\nline", "back\\slash", 'quote"d', "", "{braces,comma}"];
    const scoped = { ...JUNE, orgIds: [orgB] };
    const result = await replaceUsageRows(db, scoped, [
      ...odd.map((key, i) => row(orgB, "2025-06-06", BigInt(i + 1), key)),
      row(orgA, "2025-06-06", 9n), // not in scope: skipped
    ]);
    expect(result).toEqual({ rows: odd.length, skipped: 1, inserted: odd.length, deleted: 1 });
    const rows = await june();
    expect(rows.filter((r) => r.orgId === orgA).map((r) => r.quantity)).toEqual([1n]);
    const keysOfB = (rs: typeof rows) =>
      rs
        .filter((r) => r.orgId === orgB)
        .map((r) => r.key)
        .sort();
    expect(keysOfB(rows)).toEqual([...odd].sort());
    // The same into an empty range (inserted as they come, no temporary table).
    await replaceUsageRows(db, JUNE, []);
    const odd2 = odd.map((key, i) => row(orgB, "2025-06-07", BigInt(i + 1), key));
    expect(await replaceUsageRows(db, JUNE, odd2)).toEqual({
      rows: odd.length,
      skipped: 0,
      inserted: odd.length,
      deleted: 0,
    });
    const again = await june();
    expect(keysOfB(again)).toEqual([...odd].sort());
    // computed_at is the time of the write (UTC), as Prisma stores timestamps.
    for (const r of again)
      expect(Math.abs(r.computedAt.getTime() - Date.now())).toBeLessThan(60_000);
    await replaceUsageRows(db, JUNE, []);
  });
});

describe("runner types in SQL follow runnerTypeOf()", () => {
  it("for every label set", async () => {
    const sets = [
      ["slipway-2cpu"],
      ["self-hosted", "linux", "slipway-4cpu"],
      ["slipway-2cpu", "slipway-16cpu", "slipway-8cpu"],
      ["Slipway-8CPU"],
      ["slipway-gpu"],
      ["ubuntu-latest"],
      ["slipway-32cpu", "slipway-4cpu"],
      [],
    ];
    const events = sets.map((labels, i) =>
      job(orgRules, {
        labels,
        queuedAt: `2026-04-${String(i + 1).padStart(2, "0")}T10:00:00Z`,
        ms: 60_000,
      }),
    );
    await writeEvents(store, events, { source: "seed" });
    const rows = await computeUsageRows(store, {
      from: new Date("2026-04-01T00:00:00Z"),
      to: new Date("2026-05-01T00:00:00Z"),
      orgIds: [orgRules],
    });
    const byDay = new Map(rows.filter((r) => r.meter === "runner_ms").map((r) => [r.day, r.key]));
    sets.forEach((labels, i) => {
      const day = `2026-04-${String(i + 1).padStart(2, "0")}`;
      expect(byDay.get(day) ?? "", labels.join(",")).toBe(runnerTypeOf(labels));
    });
  });
});

describe("plan changes, spend limits and the build gate", () => {
  const by = { actor: { type: "USER" as const, id: null, name: "test" } };
  const MARCH_10 = new Date("2026-03-10T00:00:00Z");

  it("upgrades at once, schedules downgrades for the next period, each with one audit event", async () => {
    const count = () => db.auditEvent.count({ where: { orgId: orgA } });
    let n = await count();
    const up = await changePlan(db, orgA, by, { planCode: "business" }, MARCH_10);
    expect(up.effective).toBe("now");
    expect(await count()).toBe(++n);
    const down = await changePlan(db, orgA, by, { planCode: "starter" }, MARCH_10);
    expect(down).toMatchObject({
      effective: "next_period",
      effectiveAt: new Date("2026-04-01T00:00:00Z"),
    });
    expect(await count()).toBe(++n);
    const overview = await billingOverview(db, orgA, MARCH_10);
    expect(overview.account.plan.code).toBe("business");
    expect(overview.account.pendingPlan?.code).toBe("starter");
    await expect(changePlan(db, orgA, by, { planCode: "nope" }, MARCH_10)).rejects.toMatchObject({
      code: "BAD_REQUEST",
      field: "planCode",
    });
    expect(await count()).toBe(n);
  });

  it("validates spend limits naming the field, and refuses builds once a hard limit is reached", async () => {
    await expect(
      updateSpendLimit(db, orgB, by, { spendLimitCents: -5, hardLimit: false }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", field: "spendLimitCents" });
    await expect(
      updateSpendLimit(db, orgB, by, { spendLimitCents: 1.5, hardLimit: false }),
    ).rejects.toBeInstanceOf(BillingError);
    // Org B in March: plan 1,000 cents, no usage yet: under a 2,000 limit, over a 1,000 one.
    await updateSpendLimit(db, orgB, by, { spendLimitCents: 2_000, hardLimit: true }, MARCH_10);
    const org = { id: orgB, slug: "org-b" };
    expect(await buildRefusal(db, org, MARCH_10)).toBeNull();
    await updateSpendLimit(db, orgB, by, { spendLimitCents: 1_000, hardLimit: true }, MARCH_10);
    expect(await buildRefusal(db, org, MARCH_10)).toBe(
      "org org-b reached its spend limit of $10.00 (spent $10.00 this period); raise it in Billing",
    );
    // Org A is not affected by org B's limit.
    expect(await buildRefusal(db, { id: orgA, slug: "a" }, MARCH_10)).toBeNull();
    await updateSpendLimit(db, orgB, by, { spendLimitCents: 1_000, hardLimit: false }, MARCH_10);
    expect(await buildRefusal(db, org, MARCH_10)).toBeNull();
  });
});
