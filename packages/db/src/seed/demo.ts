// The demo organisation "Acme Robotics": members of every role, three projects, ~300 builds over
// the last 30 days, API tokens, a subscription and last month's invoice. Deterministic (seeded
// PRNG; ids too) for a given `now`, and idempotent: if the org exists nothing is written and the
// existing builds are returned, so follow-up seeds (telemetry) can always be run.

import { hashPassword } from "../crypto.ts";
import type { BuildStatus, Prisma, Role } from "../generated/prisma/client.ts";
import type { Db, DbTx } from "../index.ts";
import { demoBuildResources } from "./build-resources.ts";
import { createApiToken, ensurePlans } from "./factories.ts";
import { createRng, type Rng, rngId } from "./prng.ts";

export const DEMO_ORG_SLUG = "acme";
export const DEMO_ORG_NAME = "Acme Robotics";
const SEED = "slipway-demo-v1";
const DAY = 24 * 60 * 60 * 1000;
const DEMO_BUILD_COUNT = 300;

export const DEMO_USERS: readonly { role: Role; email: string; name: string; password: string }[] =
  [
    {
      role: "OWNER",
      email: "owner@demo.slipway.dev",
      name: "Ada Okafor",
      password: "slipway-demo-owner",
    },
    {
      role: "ADMIN",
      email: "admin@demo.slipway.dev",
      name: "Ben Adler",
      password: "slipway-demo-admin",
    },
    {
      role: "MEMBER",
      email: "member@demo.slipway.dev",
      name: "Chen Li",
      password: "slipway-demo-member",
    },
    {
      role: "VIEWER",
      email: "viewer@demo.slipway.dev",
      name: "Dana Reyes",
      password: "slipway-demo-viewer",
    },
  ];

interface ProjectProfile {
  slug: string;
  name: string;
  settings: Omit<Prisma.ProjectSettingsUncheckedCreateInput, "projectId">;
  dockerfilePath: string;
  targets: (string | null)[];
  /** Wall time of a build with a cold cache, seconds. */
  coldSeconds: number;
  stepsPerPlatform: number;
  branches: string[];
  weight: number;
}

const GiB = 1024n ** 3n;

const PROJECTS: readonly ProjectProfile[] = [
  {
    slug: "api",
    name: "API",
    settings: {
      builderSize: "LARGE",
      platforms: ["linux/amd64", "linux/arm64"],
      autoscalingEnabled: false,
      buildsPerBuilder: 2,
      maxBuilders: 1,
      cacheSizeLimitBytes: 100n * GiB,
      cacheRetentionDays: 14,
      lintPolicy: "FAIL_ON_ERROR",
    },
    dockerfilePath: "Dockerfile",
    targets: ["runtime", "runtime", "runtime", "debug"],
    coldSeconds: 410,
    stepsPerPlatform: 14,
    branches: ["feat/rate-limits", "fix/n-plus-one-orders", "chore/bump-go-1.23", "feat/webhooks"],
    weight: 45,
  },
  {
    slug: "web",
    name: "Web",
    settings: {
      builderSize: "MEDIUM",
      platforms: ["linux/amd64"],
      autoscalingEnabled: true,
      buildsPerBuilder: 2,
      maxBuilders: 4,
      cacheSizeLimitBytes: 50n * GiB,
      cacheRetentionDays: 7,
      lintPolicy: "REPORT",
    },
    dockerfilePath: "apps/web/Dockerfile",
    targets: ["production"],
    coldSeconds: 260,
    stepsPerPlatform: 18,
    branches: ["feat/dark-mode", "fix/checkout-redirect", "feat/onboarding-v2", "deps/react-19"],
    weight: 35,
  },
  {
    slug: "worker",
    name: "Worker",
    settings: {
      builderSize: "SMALL",
      platforms: ["linux/arm64"],
      autoscalingEnabled: false,
      buildsPerBuilder: 1,
      maxBuilders: 1,
      cacheSizeLimitBytes: 25n * GiB,
      cacheRetentionDays: 30,
      lintPolicy: "FAIL_ON_WARNING",
    },
    dockerfilePath: "worker/Dockerfile",
    targets: [null],
    coldSeconds: 150,
    stepsPerPlatform: 11,
    branches: ["feat/retry-backoff", "fix/memory-leak", "feat/s3-export"],
    weight: 20,
  },
];

const FAILURES = [
  'process "/bin/sh -c npm ci" did not complete successfully: exit code: 1',
  'process "/bin/sh -c go test ./..." did not complete successfully: exit code: 1',
  'process "/bin/sh -c pnpm run build" did not complete successfully: exit code: 2',
  'failed to solve: failed to compute cache key: "/dist" not found: not found',
  'process "/bin/sh -c apt-get update && apt-get install -y libvips" did not complete successfully: exit code: 100',
  "lint: 2 errors (DL3006 image without explicit tag, SC2086 unquoted variable) with policy FAIL_ON_ERROR",
];

export interface SeededBuild {
  id: string;
  orgId: string;
  projectId: string;
  projectSlug: string;
  number: number;
  dockerfilePath: string;
  status: BuildStatus;
  platforms: string[];
  emulated: boolean;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
  stepCount: number;
  cachedStepCount: number;
  cacheHitRatio: number | null;
  gitBranch: string | null;
  gitCommit: string | null;
  triggeredBy: string;
}

export interface DemoSeedResult {
  /** False when the demo org already existed and nothing was written. */
  created: boolean;
  org: { id: string; slug: string; name: string };
  projects: { id: string; slug: string; name: string; platforms: string[] }[];
  users: { id: string; email: string; role: Role }[];
  builds: SeededBuild[];
}

function startOfMonthUtc(d: Date, monthOffset = 0): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + monthOffset, 1));
}

/** Queue times over the last 30 days, busier on weekdays and working hours (UTC), sorted. */
function queueTimes(rng: Rng, now: Date, count: number): Date[] {
  const windowStart = now.getTime() - 30 * DAY;
  const latest = now.getTime() - 20 * 60 * 1000; // everything has finished by `now`
  const out: number[] = [];
  while (out.length < count) {
    const t = rng.float(windowStart, latest);
    const d = new Date(t);
    const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6;
    const hour = d.getUTCHours();
    const p = (weekend ? 0.2 : 1) * (hour >= 7 && hour <= 19 ? 1 : 0.12);
    if (rng.chance(p)) out.push(Math.floor(t));
  }
  return out.sort((a, b) => a - b).map((t) => new Date(t));
}

interface DemoContext {
  orgId: string;
  projects: { id: string; profile: ProjectProfile }[];
  users: { id: string; name: string; role: Role }[];
  tokens: { id: string; name: string; projectId: string | null }[];
}

/** The builds, as rows ready for createMany. Pure: same rng and `now`, same rows. */
export function demoBuildRows(
  rng: Rng,
  now: Date,
  ctx: DemoContext,
): Prisma.BuildCreateManyInput[] {
  const ids = rng.fork("build-ids");
  const times = queueTimes(rng.fork("times"), now, DEMO_BUILD_COUNT);
  const canceled = new Set<number>();
  while (canceled.size < 2) canceled.add(rng.int(10, DEMO_BUILD_COUNT - 1));
  const numbers = new Map<string, number>();
  const triggerers = ctx.users.filter((u) => u.role !== "VIEWER");

  return times.map((queuedAt, i) => {
    const id = rngId(ids);
    const project = rng.weighted(ctx.projects.map((p) => [p, p.profile.weight] as const));
    const profile = project.profile;
    const number = (numbers.get(project.id) ?? 0) + 1;
    numbers.set(project.id, number);
    const platforms = [...(profile.settings.platforms as string[])];

    const tokens = ctx.tokens.filter((t) => t.projectId === null || t.projectId === project.id);
    const byToken = tokens.length > 0 && rng.chance(0.6);
    const token = byToken ? rng.pick(tokens) : null;
    const user = token ? null : rng.weighted(triggerers.map((u, k) => [u, k + 1] as const));

    const onMain = rng.chance(0.55);
    const gitBranch = onMain ? "main" : rng.pick(profile.branches);
    const gitCommit = rng.hex(40);
    const image = `acme/${profile.slug}`;
    const tags = onMain
      ? [`${image}:sha-${gitCommit.slice(0, 7)}`, `${image}:main`]
      : [`${image}:${gitBranch.replaceAll("/", "-")}`];

    const cold = number === 1 || rng.chance(0.08);
    const ratioTarget = cold ? rng.float(0, 0.25) : rng.float(0.55, 0.97);
    const stepCount = (profile.stepsPerPlatform + rng.int(-1, 1)) * platforms.length;
    const cachedStepCount = Math.round(stepCount * ratioTarget);
    const cacheHitRatio = Math.round((cachedStepCount / stepCount) * 1000) / 1000;
    const emulated = platforms.includes("linux/arm64");

    let status: BuildStatus = "SUCCEEDED";
    if (canceled.has(i)) status = "CANCELED";
    else if (rng.chance(0.09)) status = "FAILED";

    const fullSeconds =
      (8 + profile.coldSeconds * (1 - 0.85 * (cachedStepCount / stepCount))) *
      (platforms.length > 1 ? 1.5 : 1) *
      rng.jitter(0.25);
    const seconds = status === "SUCCEEDED" ? fullSeconds : fullSeconds * rng.float(0.1, 0.8);
    const durationMs = Math.max(2_000, Math.round(seconds * 1000));
    const waitMs = profile.settings.autoscalingEnabled ? rng.int(200, 4_000) : rng.int(300, 25_000);
    const startedAt = new Date(queuedAt.getTime() + waitMs);
    const finishedAt = new Date(startedAt.getTime() + durationMs);
    const actorName = token?.name ?? user?.name ?? "system";

    return {
      id,
      orgId: ctx.orgId,
      projectId: project.id,
      number,
      status,
      platforms,
      tags: status === "SUCCEEDED" ? tags : [],
      dockerfilePath: profile.dockerfilePath,
      target: rng.pick(profile.targets),
      triggeredBy: actorName,
      triggeredByUserId: user?.id ?? null,
      triggeredByTokenId: token?.id ?? null,
      gitCommit,
      gitBranch,
      createdAt: queuedAt,
      queuedAt,
      startedAt,
      finishedAt,
      durationMs,
      stepCount,
      cachedStepCount,
      cacheHitRatio,
      imageDigest: status === "SUCCEEDED" ? `sha256:${rng.hex(64)}` : null,
      emulated,
      error:
        status === "FAILED"
          ? rng.pick(FAILURES)
          : status === "CANCELED"
            ? `canceled by ${user?.name ?? "Ben Adler"}`
            : null,
      seeded: true,
      ...demoBuildResources(resourceRng(id), {
        projectSlug: profile.slug,
        builderSize: String(profile.settings.builderSize ?? "MEDIUM"),
        status,
        durationMs,
        platforms,
      }),
    };
  });
}

function invoiceFor(
  now: Date,
  builds: Prisma.BuildCreateManyInput[],
  plan: {
    monthlyPriceCents: number;
    includedBuildMinutes: number;
    buildMinuteOverageCents: number;
  },
) {
  const periodStart = startOfMonthUtc(now, -1);
  const periodEnd = startOfMonthUtc(now);
  const buildMinutes = builds
    .filter((b) => {
      const t = new Date(b.queuedAt as Date).getTime();
      return t >= periodStart.getTime() && t < periodEnd.getTime();
    })
    .reduce((sum, b) => sum + Math.ceil((b.durationMs ?? 0) / 60_000), 0);
  const billableBuild = Math.max(0, buildMinutes - plan.includedBuildMinutes);
  const lineItems = [
    {
      kind: "plan",
      description: "Team plan, monthly",
      quantity: 1,
      unit: "month",
      unitPriceCents: plan.monthlyPriceCents,
      amountCents: plan.monthlyPriceCents,
    },
    {
      kind: "build_minutes",
      description: `Build minutes: ${buildMinutes} used, ${plan.includedBuildMinutes} included`,
      quantity: billableBuild,
      unit: "minute",
      unitPriceCents: plan.buildMinuteOverageCents,
      amountCents: billableBuild * plan.buildMinuteOverageCents,
    },
    {
      kind: "runner_minutes",
      label: "slipway-4cpu",
      description: "Runner minutes (slipway-4cpu): 5842 used, 5000 included",
      quantity: 842,
      unit: "minute",
      unitPriceCents: 2,
      amountCents: 1_684,
    },
    {
      kind: "cache_storage",
      description: "Cache storage: 212 GB-months used, 500 included",
      quantity: 0,
      unit: "GB-month",
      unitPriceCents: 20,
      amountCents: 0,
    },
  ];
  const subtotalCents = lineItems.reduce((sum, li) => sum + li.amountCents, 0);
  const finalizedAt = new Date(periodEnd.getTime() + 2 * 60 * 60 * 1000);
  const finalized = finalizedAt <= now;
  return {
    periodStart,
    periodEnd,
    status: finalized ? ("FINALIZED" as const) : ("DRAFT" as const),
    lineItems,
    subtotalCents,
    totalCents: subtotalCents,
    currency: "usd",
    finalizedAt: finalized ? finalizedAt : null,
  };
}

const buildSummarySelect = {
  id: true,
  orgId: true,
  projectId: true,
  number: true,
  status: true,
  platforms: true,
  emulated: true,
  queuedAt: true,
  startedAt: true,
  finishedAt: true,
  durationMs: true,
  stepCount: true,
  cachedStepCount: true,
  cacheHitRatio: true,
  gitBranch: true,
  gitCommit: true,
  triggeredBy: true,
  dockerfilePath: true,
  project: { select: { slug: true } },
} as const;

async function loadDemo(db: DbTx, created: boolean): Promise<DemoSeedResult | null> {
  const org = await db.org.findUnique({
    where: { slug: DEMO_ORG_SLUG },
    select: {
      id: true,
      slug: true,
      name: true,
      projects: {
        orderBy: { slug: "asc" },
        select: { id: true, slug: true, name: true, settings: { select: { platforms: true } } },
      },
      memberships: {
        orderBy: { role: "asc" },
        select: { role: true, user: { select: { id: true, email: true } } },
      },
    },
  });
  if (!org) return null;
  const builds = await db.build.findMany({
    where: { orgId: org.id, seeded: true },
    orderBy: [{ queuedAt: "asc" }, { number: "asc" }],
    select: buildSummarySelect,
  });
  return {
    created,
    org: { id: org.id, slug: org.slug, name: org.name },
    projects: org.projects.map((p) => ({
      id: p.id,
      slug: p.slug,
      name: p.name,
      platforms: p.settings?.platforms ?? [],
    })),
    users: org.memberships.map((m) => ({ id: m.user.id, email: m.user.email, role: m.role })),
    builds: builds.map(({ project, ...b }) => ({ ...b, projectSlug: project.slug })),
  };
}

// Context/CPU/memory values have their own stream per build id: adding them left every other
// seeded value as it was, and a demo seeded before they existed can be backfilled identically.
const resourceRng = (buildId: string) => createRng(`${SEED}/build-resources/${buildId}`);

/** Fills the context and resource columns of demo builds seeded before those columns existed. */
async function backfillBuildResources(db: Db, orgId: string): Promise<void> {
  const builds = await db.build.findMany({
    where: { orgId, seeded: true, contextBytes: null },
    select: {
      id: true,
      status: true,
      durationMs: true,
      platforms: true,
      project: { select: { slug: true, settings: { select: { builderSize: true } } } },
    },
  });
  for (const b of builds) {
    await db.build.update({
      where: { id: b.id },
      data: demoBuildResources(resourceRng(b.id), {
        projectSlug: b.project.slug,
        builderSize: b.project.settings?.builderSize ?? "MEDIUM",
        status: b.status,
        durationMs: b.durationMs ?? 2_000,
        platforms: b.platforms,
      }) as Prisma.BuildUpdateInput,
    });
  }
}

/** A fixed advisory-lock key so concurrent seeds do not both create the org. */
const SEED_LOCK_KEY = 7_110_772;

/**
 * Seeds the demo data unless the demo org exists. `now` anchors every timestamp (builds in the
 * 30 days before it, last month's invoice); pass a fixed date for reproducible output.
 */
export async function seedDemo(
  db: Db,
  { now = new Date() }: { now?: Date } = {},
): Promise<DemoSeedResult> {
  const existing = await loadDemo(db, false);
  if (existing) {
    await backfillBuildResources(db, existing.org.id);
    return existing;
  }

  // Hash outside the transaction: argon2id is deliberately slow.
  const passwordHashes = await Promise.all(DEMO_USERS.map((u) => hashPassword(u.password)));

  const created = await db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SEED_LOCK_KEY})`;
      if (await tx.org.findUnique({ where: { slug: DEMO_ORG_SLUG }, select: { id: true } })) {
        return false;
      }
      const rng = createRng(SEED);
      const ids = rng.fork("ids");
      const orgCreatedAt = new Date(now.getTime() - 45 * DAY);

      const plans = await ensurePlans(tx);
      const team = plans.find((p) => p.code === "team");
      if (!team) throw new Error("team plan missing");

      const org = await tx.org.create({
        data: {
          id: rngId(ids),
          slug: DEMO_ORG_SLUG,
          name: DEMO_ORG_NAME,
          seeded: true,
          createdAt: orgCreatedAt,
        },
      });

      const users: DemoContext["users"] = [];
      for (const [k, u] of DEMO_USERS.entries()) {
        const user = await tx.user.upsert({
          where: { email: u.email },
          update: {},
          create: {
            id: rngId(ids),
            email: u.email,
            name: u.name,
            passwordHash: passwordHashes[k] as string,
            passwordChangedAt: orgCreatedAt,
            createdAt: new Date(orgCreatedAt.getTime() + k * 3_600_000),
            seeded: true,
          },
        });
        await tx.membership.create({
          data: { id: rngId(ids), orgId: org.id, userId: user.id, role: u.role },
        });
        users.push({ id: user.id, name: user.name, role: u.role });
      }
      const owner = users[0];
      const admin = users[1];
      if (!owner || !admin) throw new Error("demo users missing");

      const projects: DemoContext["projects"] = [];
      for (const [k, profile] of PROJECTS.entries()) {
        const project = await tx.project.create({
          data: {
            id: rngId(ids),
            orgId: org.id,
            slug: profile.slug,
            name: profile.name,
            seeded: true,
            createdAt: new Date(orgCreatedAt.getTime() + DAY + k * 3_600_000),
            settings: { create: profile.settings },
          },
        });
        projects.push({ id: project.id, profile });
      }

      const ci = await createApiToken(tx, {
        orgId: org.id,
        name: "GitHub Actions",
        createdById: owner.id,
        createdAt: new Date(orgCreatedAt.getTime() + 2 * DAY),
      });
      const workerProject = projects.find((p) => p.profile.slug === "worker");
      const deploy = await createApiToken(tx, {
        orgId: org.id,
        projectId: workerProject?.id ?? null,
        name: "worker release script",
        createdById: admin.id,
        createdAt: new Date(orgCreatedAt.getTime() + 5 * DAY),
        expiresAt: new Date(now.getTime() + 90 * DAY),
      });
      const tokens = [ci.apiToken, deploy.apiToken].map((t) => ({
        id: t.id,
        name: t.name,
        projectId: t.projectId,
      }));

      const rows = demoBuildRows(rng.fork("builds"), now, {
        orgId: org.id,
        projects,
        users,
        tokens,
      });
      await tx.build.createMany({ data: rows });
      for (const p of projects) {
        const last = rows.filter((r) => r.projectId === p.id).length;
        await tx.project.update({ where: { id: p.id }, data: { lastBuildNumber: last } });
      }
      for (const t of tokens) {
        const used = rows.filter((r) => r.triggeredByTokenId === t.id).at(-1);
        if (used) {
          await tx.apiToken.update({
            where: { id: t.id },
            data: { lastUsedAt: used.queuedAt as Date },
          });
        }
      }

      await tx.subscription.create({
        data: {
          id: rngId(ids),
          orgId: org.id,
          planId: team.id,
          status: "ACTIVE",
          currentPeriodStart: startOfMonthUtc(now),
          currentPeriodEnd: startOfMonthUtc(now, 1),
          spendLimitCents: 50_000,
          hardLimit: false,
          createdAt: orgCreatedAt,
        },
      });
      await tx.invoice.create({
        data: { id: rngId(ids), orgId: org.id, ...invoiceFor(now, rows, team), createdAt: now },
      });
      return true;
    },
    { timeout: 60_000, maxWait: 30_000 },
  );

  const result = await loadDemo(db, created);
  if (!result) throw new Error("demo org missing after seeding");
  return result;
}
