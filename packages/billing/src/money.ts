// The money: pure functions from a plan and a period's exact usage to an invoice, a forecast and
// spend alerts. No I/O, so every rule here is unit- and property-tested (money.test.ts).
//
// Rules (also in the README):
// - Usage arrives exact (milliseconds, byte-seconds). Each billed quantity is rounded UP once, for
//   the whole period: two 30-second builds make one build minute, not two.
// - Build minutes: every platform of a build counts (a two-platform build of 3 minutes is 6).
// - Runner minutes are priced per runner type. A type the plan has no price for is charged the
//   plan's highest runner price, with nothing included (never free by omission).
// - Cache storage: GB-month = the time-weighted average size over the period in GB (10^9 bytes).
//   Overage = (average - included GB), rounded up to whole GB-months.
// - Amounts are integer cents: quantity (integer) x unit price (integer cents).

import { z } from "zod";

export const METERS = {
  build: "build_ms",
  runner: "runner_ms",
  cache: "cache_byte_seconds",
} as const;
export type MeterName = (typeof METERS)[keyof typeof METERS];
export const METER_NAMES: readonly MeterName[] = Object.values(METERS);

export const MS_PER_MINUTE = 60_000n;
export const BYTES_PER_GB = 1_000_000_000n;

const cents = z.number().int().nonnegative();
const centsByLabel = z.record(z.string(), cents);

/** A plan's prices as the invoice needs them (the Plan row, its JSON columns checked). */
export const planPricing = z.object({
  code: z.string(),
  name: z.string(),
  monthlyPriceCents: cents,
  includedBuildMinutes: cents,
  includedRunnerMinutes: centsByLabel,
  includedCacheGb: cents,
  buildMinuteOverageCents: cents,
  runnerMinuteOverageCents: centsByLabel,
  cacheGbMonthOverageCents: cents,
});
export type PlanPricing = z.output<typeof planPricing>;

/** A period's usage, exact (never rounded). */
export interface PeriodUsage {
  buildMs: bigint;
  /** Milliseconds per runner type. */
  runnerMs: Record<string, bigint>;
  cacheByteSeconds: bigint;
}

export interface Period {
  start: Date;
  end: Date;
}

export type LineKind = "plan" | "build_minutes" | "runner_minutes" | "cache_storage";

export interface LineItem {
  kind: LineKind;
  /** The runner type of a runner_minutes line. */
  label?: string;
  description: string;
  /** Billed quantity (overage), whole units. */
  quantity: number;
  unit: "month" | "minute" | "GB-month";
  unitPriceCents: number;
  amountCents: number;
  /** What was used and what the plan includes, in the same (rounded) unit. */
  used: number;
  included: number;
}

export interface InvoiceDraft {
  planCode: string;
  lineItems: LineItem[];
  subtotalCents: number;
  totalCents: number;
}

export const emptyUsage = (): PeriodUsage => ({ buildMs: 0n, runnerMs: {}, cacheByteSeconds: 0n });

/** ceil(a / b) for a >= 0, b > 0. */
export function ceilDiv(a: bigint, b: bigint): bigint {
  if (a < 0n || b <= 0n) throw new RangeError(`ceilDiv(${a}, ${b}): expected a >= 0 and b > 0`);
  return (a + b - 1n) / b;
}

function toSafeNumber(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`${what} is too large`);
  return Number(value);
}

export function periodSeconds(period: Period): bigint {
  const ms = period.end.getTime() - period.start.getTime();
  if (!(ms > 0) || ms % 1000 !== 0) {
    throw new RangeError("a billing period must be a positive whole number of seconds");
  }
  return BigInt(ms / 1000);
}

/** Whole minutes billed for an exact total: rounded up once. */
export const billedMinutes = (ms: bigint): bigint => ceilDiv(ms, MS_PER_MINUTE);

/** The price of a runner type under a plan: its own, else the plan's highest (see top). */
export function runnerPriceCents(plan: PlanPricing, runnerType: string): number {
  const own = plan.runnerMinuteOverageCents[runnerType];
  if (own !== undefined) return own;
  return Math.max(0, ...Object.values(plan.runnerMinuteOverageCents));
}

function overageLine(
  base: Omit<LineItem, "amountCents" | "quantity" | "used" | "included">,
  usedUnits: bigint,
  includedUnits: bigint,
): LineItem {
  const over = usedUnits > includedUnits ? usedUnits - includedUnits : 0n;
  const quantity = toSafeNumber(over, base.description);
  return {
    ...base,
    quantity,
    amountCents: toSafeNumber(over * BigInt(base.unitPriceCents), base.description),
    used: toSafeNumber(usedUnits, base.description),
    included: toSafeNumber(includedUnits, base.description),
  };
}

/** The invoice of one period: a plan line, then one overage line per meter (and runner type). */
export function computeInvoice(
  plan: PlanPricing,
  usage: PeriodUsage,
  period: Period,
): InvoiceDraft {
  const lines: LineItem[] = [
    {
      kind: "plan",
      description: `${plan.name} plan, monthly`,
      quantity: 1,
      unit: "month",
      unitPriceCents: plan.monthlyPriceCents,
      amountCents: plan.monthlyPriceCents,
      used: 1,
      included: 0,
    },
  ];
  if (usage.buildMs < 0n || usage.cacheByteSeconds < 0n) throw new RangeError("negative usage");

  const buildMinutes = billedMinutes(usage.buildMs);
  lines.push(
    overageLine(
      {
        kind: "build_minutes",
        description: `Build minutes: ${buildMinutes} used, ${plan.includedBuildMinutes} included`,
        unit: "minute",
        unitPriceCents: plan.buildMinuteOverageCents,
      },
      buildMinutes,
      BigInt(plan.includedBuildMinutes),
    ),
  );

  // Every type the plan includes or prices gets a line (0 when unused), plus any type used.
  const types = new Set([
    ...Object.keys(plan.includedRunnerMinutes),
    ...Object.keys(usage.runnerMs),
  ]);
  for (const type of [...types].sort()) {
    const ms = usage.runnerMs[type] ?? 0n;
    if (ms < 0n) throw new RangeError("negative usage");
    const minutes = billedMinutes(ms);
    const included = plan.includedRunnerMinutes[type] ?? 0;
    lines.push(
      overageLine(
        {
          kind: "runner_minutes",
          label: type,
          description: `Runner minutes (${type}): ${minutes} used, ${included} included`,
          unit: "minute",
          unitPriceCents: runnerPriceCents(plan, type),
        },
        minutes,
        BigInt(included),
      ),
    );
  }

  // GB-months: byte-seconds / (GB x seconds in the period). Overage rounded up once.
  const gbMonth = BYTES_PER_GB * periodSeconds(period);
  const includedByteSeconds = BigInt(plan.includedCacheGb) * gbMonth;
  const overByteSeconds =
    usage.cacheByteSeconds > includedByteSeconds
      ? usage.cacheByteSeconds - includedByteSeconds
      : 0n;
  const usedGbMonths = ceilDiv(usage.cacheByteSeconds, gbMonth);
  const overGbMonths = ceilDiv(overByteSeconds, gbMonth);
  const cacheLine = overageLine(
    {
      kind: "cache_storage",
      description: `Cache storage: ${usedGbMonths} GB-months used, ${plan.includedCacheGb} included`,
      unit: "GB-month",
      unitPriceCents: plan.cacheGbMonthOverageCents,
    },
    overGbMonths,
    0n,
  );
  lines.push({
    ...cacheLine,
    used: toSafeNumber(usedGbMonths, "cache"),
    included: plan.includedCacheGb,
  });

  const subtotalCents = lines.reduce((sum, line) => sum + line.amountCents, 0);
  if (!Number.isSafeInteger(subtotalCents)) throw new RangeError("invoice total is too large");
  // No taxes or credits (yet): the total is the subtotal.
  return { planCode: plan.code, lineItems: lines, subtotalCents, totalCents: subtotalCents };
}

export function addUsage(a: PeriodUsage, b: PeriodUsage): PeriodUsage {
  const runnerMs: Record<string, bigint> = { ...a.runnerMs };
  for (const [k, v] of Object.entries(b.runnerMs)) runnerMs[k] = (runnerMs[k] ?? 0n) + v;
  return {
    buildMs: a.buildMs + b.buildMs,
    runnerMs,
    cacheByteSeconds: a.cacheByteSeconds + b.cacheByteSeconds,
  };
}

/**
 * Linear forecast for the period end: usage so far x (period length / time elapsed). Elapsed
 * time is at least one hour, so the first minutes of a period do not explode the forecast.
 */
export function forecastUsage(sofar: PeriodUsage, period: Period, now: Date): PeriodUsage {
  const total = BigInt(period.end.getTime() - period.start.getTime());
  const raw = BigInt(
    Math.min(Math.max(now.getTime(), period.start.getTime()), period.end.getTime()),
  );
  const elapsed = raw - BigInt(period.start.getTime());
  const hour = 3_600_000n;
  const e = elapsed < hour ? (total < hour ? total : hour) : elapsed;
  const scale = (v: bigint) => (v * total) / e;
  return {
    buildMs: scale(sofar.buildMs),
    runnerMs: Object.fromEntries(Object.entries(sofar.runnerMs).map(([k, v]) => [k, scale(v)])),
    cacheByteSeconds: scale(sofar.cacheByteSeconds),
  };
}

export interface MeterStatus {
  kind: Exclude<LineKind, "plan">;
  label?: string;
  /** Used so far and included, in minutes (cache: average GB so far vs included GB). */
  used: number;
  included: number;
  /** used / included (null when nothing is included). */
  ratio: number | null;
}

export interface SpendAlert {
  level: "warning" | "exceeded";
  message: string;
}

export interface SpendStatus {
  /** The current period's invoice so far (plan + overage to date). */
  spendCents: number;
  limitCents: number | null;
  hardLimit: boolean;
  /** True when a hard limit is set and reached: new builds are refused. */
  blocked: boolean;
  meters: MeterStatus[];
  alerts: SpendAlert[];
}

export const ALERT_THRESHOLDS = [0.8, 1] as const;

export function formatCents(value: number): string {
  const sign = value < 0 ? "-" : "";
  const abs = Math.abs(value);
  return `${sign}$${Math.floor(abs / 100).toLocaleString("en-US")}.${String(abs % 100).padStart(2, "0")}`;
}

/** Usage against what is included, the spend so far, and the alerts they raise (80%, 100%). */
export function spendStatus(
  plan: PlanPricing,
  sofar: PeriodUsage,
  period: Period,
  now: Date,
  limit: { spendLimitCents: number | null; hardLimit: boolean },
): SpendStatus {
  const invoice = computeInvoice(plan, sofar, period);
  const meters: MeterStatus[] = [];
  const ratio = (used: number, included: number) => (included > 0 ? used / included : null);
  for (const line of invoice.lineItems) {
    if (line.kind === "plan") continue;
    if (line.kind === "cache_storage") {
      // Average size so far (over the time elapsed), against the included size.
      const elapsedS = Math.max(
        1,
        Math.floor((Math.min(now.getTime(), period.end.getTime()) - period.start.getTime()) / 1000),
      );
      const avgGb = Number(sofar.cacheByteSeconds / BigInt(elapsedS)) / Number(BYTES_PER_GB);
      const used = Math.round(avgGb * 100) / 100;
      meters.push({
        kind: line.kind,
        used,
        included: plan.includedCacheGb,
        ratio: ratio(used, plan.includedCacheGb),
      });
      continue;
    }
    meters.push({
      kind: line.kind,
      ...(line.label !== undefined && { label: line.label }),
      used: line.used,
      included: line.included,
      ratio: ratio(line.used, line.included),
    });
  }
  const alerts: SpendAlert[] = [];
  const name = (m: MeterStatus) =>
    m.kind === "build_minutes"
      ? "build minutes"
      : m.kind === "runner_minutes"
        ? `${m.label} runner minutes`
        : "cache storage";
  for (const m of meters) {
    if (m.ratio === null) continue;
    const pct = Math.floor(m.ratio * 100);
    if (m.ratio >= 1) {
      alerts.push({
        level: "exceeded",
        message: `${pct}% of the included ${name(m)} used: overage is being billed.`,
      });
    } else if (m.ratio >= ALERT_THRESHOLDS[0]) {
      alerts.push({ level: "warning", message: `${pct}% of the included ${name(m)} used.` });
    }
  }
  const limitCents = limit.spendLimitCents;
  let blocked = false;
  if (limitCents !== null) {
    if (invoice.totalCents >= limitCents) {
      blocked = limit.hardLimit;
      alerts.unshift({
        level: "exceeded",
        message: `Spend this period (${formatCents(invoice.totalCents)}) reached the spend limit of ${formatCents(limitCents)}${blocked ? ": new builds are refused until the limit is raised in Billing" : ""}.`,
      });
    } else if (invoice.totalCents >= limitCents * ALERT_THRESHOLDS[0]) {
      alerts.unshift({
        level: "warning",
        message: `Spend this period (${formatCents(invoice.totalCents)}) is ${Math.floor((invoice.totalCents / Math.max(1, limitCents)) * 100)}% of the spend limit of ${formatCents(limitCents)}.`,
      });
    }
  }
  return {
    spendCents: invoice.totalCents,
    limitCents,
    hardLimit: limit.hardLimit,
    blocked,
    meters,
    alerts,
  };
}

/**
 * The runner type a job is billed as. GitHub runs a job on a runner that has ALL its labels, so
 * the Slipway size label (`slipway-<n>cpu`) names the machine; with several, the largest n (the
 * most specific, and what the pool provisions). Labels are compared lower-cased. A job without a
 * Slipway size label ran elsewhere (GitHub-hosted, the org's own machines) and is not metered: "".
 * The rollup's SQL implements the same rule (rollup/queries.ts), tested against this function.
 */
export function runnerTypeOf(labels: readonly string[]): string {
  let best = "";
  let bestCpu = -1;
  for (const raw of labels) {
    const label = raw.toLowerCase();
    const m = /^slipway-([0-9]{1,6})cpu$/.exec(label);
    if (!m) continue;
    const cpu = Number(m[1]);
    if (cpu > bestCpu || (cpu === bestCpu && label < best)) {
      best = label;
      bestCpu = cpu;
    }
  }
  return best;
}

/** Plan changes: a pricier plan applies at once, a cheaper (or equal-price) one next period. */
export function planChangeTiming(
  from: Pick<PlanPricing, "monthlyPriceCents">,
  to: Pick<PlanPricing, "monthlyPriceCents">,
): "now" | "next_period" {
  return to.monthlyPriceCents > from.monthlyPriceCents ? "now" : "next_period";
}

/** The calendar month (UTC) that contains `at`: Slipway's billing period. */
export function monthOf(at: Date): Period {
  const start = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  const end = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
  return { start, end };
}
