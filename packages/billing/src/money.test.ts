import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addUsage,
  billedMinutes,
  computeInvoice,
  forecastUsage,
  monthOf,
  type PeriodUsage,
  type PlanPricing,
  planChangeTiming,
  runnerTypeOf,
  spendStatus,
} from "./money.ts";

const JAN: { start: Date; end: Date } = {
  start: new Date("2026-01-01T00:00:00Z"),
  end: new Date("2026-02-01T00:00:00Z"),
};
const JAN_SECONDS = 31n * 86_400n;
const GB = 1_000_000_000n;

const TEAM: PlanPricing = {
  code: "team",
  name: "Team",
  monthlyPriceCents: 19_900,
  includedBuildMinutes: 100,
  includedRunnerMinutes: { "slipway-2cpu": 50, "slipway-4cpu": 10 },
  includedCacheGb: 5,
  buildMinuteOverageCents: 4,
  runnerMinuteOverageCents: { "slipway-2cpu": 1, "slipway-4cpu": 2, "slipway-8cpu": 3 },
  cacheGbMonthOverageCents: 20,
};

const line = (inv: ReturnType<typeof computeInvoice>, kind: string, label?: string) =>
  inv.lineItems.find((l) => l.kind === kind && (label === undefined || l.label === label));

describe("computeInvoice", () => {
  it("rounds the period total up to the minute once: two 30 s builds bill one minute", () => {
    const plan = { ...TEAM, includedBuildMinutes: 0 };
    const inv = computeInvoice(plan, { ...emptyish(), buildMs: 30_000n + 30_000n }, JAN);
    expect(line(inv, "build_minutes")).toMatchObject({ used: 1, quantity: 1, amountCents: 4 });
    // 60.001 s is two minutes, 0 ms none.
    expect(billedMinutes(60_001n)).toBe(2n);
    expect(billedMinutes(0n)).toBe(0n);
  });

  it("bills overage above what is included, per runner type, at the type's price", () => {
    const usage: PeriodUsage = {
      buildMs: 130n * 60_000n - 1n, // 130 minutes after rounding: 30 over
      runnerMs: { "slipway-2cpu": 50n * 60_000n, "slipway-4cpu": 25n * 60_000n + 1n },
      cacheByteSeconds: 0n,
    };
    const inv = computeInvoice(TEAM, usage, JAN);
    expect(line(inv, "plan")?.amountCents).toBe(19_900);
    expect(line(inv, "build_minutes")).toMatchObject({ used: 130, quantity: 30, amountCents: 120 });
    expect(line(inv, "runner_minutes", "slipway-2cpu")).toMatchObject({
      quantity: 0,
      amountCents: 0,
    });
    expect(line(inv, "runner_minutes", "slipway-4cpu")).toMatchObject({
      used: 26,
      quantity: 16,
      unitPriceCents: 2,
      amountCents: 32,
    });
    expect(inv.totalCents).toBe(19_900 + 120 + 32);
  });

  it("charges a runner type the plan does not price at its highest runner price", () => {
    const inv = computeInvoice(
      TEAM,
      { ...emptyish(), runnerMs: { "slipway-16cpu": 10n * 60_000n } },
      JAN,
    );
    expect(line(inv, "runner_minutes", "slipway-16cpu")).toMatchObject({
      included: 0,
      quantity: 10,
      unitPriceCents: 3,
      amountCents: 30,
    });
  });

  it("bills cache as time-weighted GB-months: 10 GB for half of January is 5 GB-months", () => {
    const half = 10n * GB * (JAN_SECONDS / 2n);
    const inv = computeInvoice(
      { ...TEAM, includedCacheGb: 0 },
      { ...emptyish(), cacheByteSeconds: half },
      JAN,
    );
    expect(line(inv, "cache_storage")).toMatchObject({ used: 5, quantity: 5, amountCents: 100 });
    // Included 5 GB: nothing to pay; one byte-second more rounds up to one GB-month.
    const within = computeInvoice(TEAM, { ...emptyish(), cacheByteSeconds: half }, JAN);
    expect(line(within, "cache_storage")?.amountCents).toBe(0);
    const over = computeInvoice(TEAM, { ...emptyish(), cacheByteSeconds: half + 1n }, JAN);
    expect(line(over, "cache_storage")).toMatchObject({ quantity: 1, amountCents: 20 });
  });

  it("refuses negative usage and periods that are not whole seconds", () => {
    expect(() => computeInvoice(TEAM, { ...emptyish(), buildMs: -1n }, JAN)).toThrow(RangeError);
    expect(() =>
      computeInvoice(TEAM, emptyish(), {
        start: JAN.start,
        end: new Date(JAN.start.getTime() + 1),
      }),
    ).toThrow(/whole number of seconds/);
  });
});

function emptyish(): PeriodUsage {
  return { buildMs: 0n, runnerMs: {}, cacheByteSeconds: 0n };
}

const types = fc.constantFrom("slipway-2cpu", "slipway-4cpu", "slipway-8cpu", "slipway-16cpu");
const usageArb: fc.Arbitrary<PeriodUsage> = fc.record({
  buildMs: fc.bigInt({ min: 0n, max: 10n ** 12n }),
  runnerMs: fc.dictionary(types, fc.bigInt({ min: 0n, max: 10n ** 12n })),
  cacheByteSeconds: fc.bigInt({ min: 0n, max: 10n ** 18n }),
});
const centsArb = fc.integer({ min: 0, max: 100_000 });
const planArb: fc.Arbitrary<PlanPricing> = fc.record({
  code: fc.constant("p"),
  name: fc.constant("P"),
  monthlyPriceCents: fc.integer({ min: 0, max: 10_000_000 }),
  includedBuildMinutes: fc.integer({ min: 0, max: 1_000_000 }),
  includedRunnerMinutes: fc.dictionary(types, fc.integer({ min: 0, max: 1_000_000 })),
  includedCacheGb: fc.integer({ min: 0, max: 10_000 }),
  buildMinuteOverageCents: fc.integer({ min: 0, max: 100 }),
  runnerMinuteOverageCents: fc.dictionary(types, fc.integer({ min: 0, max: 100 })),
  cacheGbMonthOverageCents: centsArb,
});
/** A usage split into daily parts, as the rollup stores it. */
const partsArb = fc.array(usageArb, { minLength: 1, maxLength: 31 });

describe("money properties (fast-check)", () => {
  it("the total is the sum of the lines; every amount is a non-negative integer of cents", () => {
    fc.assert(
      fc.property(planArb, usageArb, (plan, usage) => {
        const inv = computeInvoice(plan, usage, JAN);
        expect(inv.subtotalCents).toBe(inv.lineItems.reduce((s, l) => s + l.amountCents, 0));
        expect(inv.totalCents).toBe(inv.subtotalCents);
        for (const l of inv.lineItems) {
          expect(Number.isSafeInteger(l.amountCents) && l.amountCents >= 0).toBe(true);
          expect(Number.isSafeInteger(l.quantity) && l.quantity >= 0).toBe(true);
          expect(l.amountCents).toBe(l.quantity * l.unitPriceCents);
        }
      }),
    );
  });

  it("rounds once per period: the invoice of the summed days is never more than rounding each day would give, and at most one unit above exact", () => {
    fc.assert(
      fc.property(partsArb, (parts) => {
        const total = parts.reduce(addUsage);
        const exactMinutes = Number(total.buildMs) / 60_000;
        const billed = Number(billedMinutes(total.buildMs));
        expect(billed).toBeGreaterThanOrEqual(exactMinutes);
        expect(billed - exactMinutes).toBeLessThan(1);
        const perDay = parts.reduce((s, p) => s + Number(billedMinutes(p.buildMs)), 0);
        expect(billed).toBeLessThanOrEqual(perDay);
      }),
    );
  });

  it("does not depend on how the period is split into days, or their order (recomputation is idempotent)", () => {
    fc.assert(
      fc.property(planArb, partsArb, (plan, parts) => {
        const a = computeInvoice(plan, parts.reduce(addUsage), JAN);
        const b = computeInvoice(plan, [...parts].reverse().reduce(addUsage), JAN);
        const again = computeInvoice(plan, parts.reduce(addUsage), JAN);
        expect(b).toEqual(a);
        expect(again).toEqual(a);
      }),
    );
  });

  it("more usage never costs less", () => {
    fc.assert(
      fc.property(planArb, usageArb, usageArb, (plan, u, extra) => {
        const base = computeInvoice(plan, u, JAN).totalCents;
        expect(computeInvoice(plan, addUsage(u, extra), JAN).totalCents).toBeGreaterThanOrEqual(
          base,
        );
      }),
    );
  });

  it("the forecast at the period end is the usage itself, and never below the usage so far", () => {
    fc.assert(
      fc.property(usageArb, fc.integer({ min: 0, max: 31 * 86_400_000 }), (u, offset) => {
        expect(forecastUsage(u, JAN, JAN.end)).toEqual(u);
        const f = forecastUsage(u, JAN, new Date(JAN.start.getTime() + offset));
        expect(f.buildMs >= u.buildMs).toBe(true);
        expect(f.cacheByteSeconds >= u.cacheByteSeconds).toBe(true);
      }),
    );
  });
});

describe("forecast, alerts, runner types, plan changes", () => {
  it("forecasts linearly from the days elapsed", () => {
    const tenDays = new Date(JAN.start.getTime() + 10 * 86_400_000);
    const f = forecastUsage({ ...emptyish(), buildMs: 10n * 60_000n }, JAN, tenDays);
    expect(f.buildMs).toBe(31n * 60_000n);
  });

  it("warns at 80% and 100% of what is included, and at the spend limit; blocks only with a hard limit", () => {
    const usage = { ...emptyish(), buildMs: 85n * 60_000n };
    const s = spendStatus(TEAM, usage, JAN, JAN.end, { spendLimitCents: null, hardLimit: false });
    expect(s.alerts).toEqual([
      { level: "warning", message: "85% of the included build minutes used." },
    ]);
    expect(s.blocked).toBe(false);
    const over = spendStatus(TEAM, { ...usage, buildMs: 200n * 60_000n }, JAN, JAN.end, {
      spendLimitCents: 20_000,
      hardLimit: true,
    });
    // 19,900 + 100 x 4 = 20,300 >= 20,000
    expect(over.spendCents).toBe(20_300);
    expect(over.blocked).toBe(true);
    expect(over.alerts[0]?.message).toContain("reached the spend limit of $200.00");
    const soft = spendStatus(TEAM, { ...usage, buildMs: 200n * 60_000n }, JAN, JAN.end, {
      spendLimitCents: 20_000,
      hardLimit: false,
    });
    expect(soft.blocked).toBe(false);
    expect(soft.alerts[0]?.level).toBe("exceeded");
  });

  it("bills a job as its largest Slipway size label; other jobs are not metered", () => {
    expect(runnerTypeOf(["self-hosted", "linux", "slipway-4cpu"])).toBe("slipway-4cpu");
    expect(runnerTypeOf(["slipway-2cpu", "Slipway-16CPU", "slipway-8cpu"])).toBe("slipway-16cpu");
    expect(runnerTypeOf(["ubuntu-latest"])).toBe("");
    expect(runnerTypeOf(["slipway-gpu", "slipway-x4cpu"])).toBe("");
  });

  it("applies pricier plans now, cheaper ones next period; periods are UTC months", () => {
    expect(planChangeTiming({ monthlyPriceCents: 100 }, { monthlyPriceCents: 200 })).toBe("now");
    expect(planChangeTiming({ monthlyPriceCents: 200 }, { monthlyPriceCents: 100 })).toBe(
      "next_period",
    );
    expect(monthOf(new Date("2026-01-31T23:59:59.999Z"))).toEqual(JAN);
  });
});
