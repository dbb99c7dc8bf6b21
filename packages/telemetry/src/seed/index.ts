import { z } from "zod";
import { createStore } from "../clickhouse/create-store.ts";
import { migrateClickHouse } from "../clickhouse/migrate.ts";
import { type TelemetryStore, toClickHouseDateTime } from "../clickhouse/store.ts";
import { type TelemetryEvent, type TelemetryEventInput, telemetryEvent } from "../events/index.ts";
import { writeEvents } from "../write.ts";
import { TEMPLATES, type Template } from "./dockerfiles.ts";
import { seedStepLogs } from "./logs.ts";
import { Rng, stableDigest, stableUuid } from "./random.ts";
import { seedRunnerEvents } from "./runners.ts";
import {
  dockerfileForBuild,
  findingsFor,
  planBuildSteps,
  type SeedBuild,
  type SeedBuildStatus,
} from "./steps.ts";

/** Bumped when the generated data changes shape; recorded per seeded org. */
export const SEED_VERSION = 1;

const dateInput = z.union([
  z.date(),
  z.iso.datetime({ offset: true }).transform((s) => new Date(s)),
]);

const STATUS: Record<string, SeedBuildStatus> = {
  queued: "queued",
  pending: "queued",
  running: "running",
  building: "running",
  in_progress: "running",
  succeeded: "succeeded",
  success: "succeeded",
  successful: "succeeded",
  passed: "succeeded",
  failed: "failed",
  failure: "failed",
  errored: "failed",
  error: "failed",
  canceled: "canceled",
  cancelled: "canceled",
};

/** A build summary as the PostgreSQL seed produced it. */
export const seedBuildInput = z.object({
  id: z.string().min(1),
  orgId: z.string().min(1),
  projectId: z.string().min(1),
  number: z.int().positive(),
  platforms: z.array(z.string().min(1)).default(["linux/amd64"]),
  status: z.string().transform((s) => STATUS[s.toLowerCase()] ?? null),
  queuedAt: dateInput,
  startedAt: dateInput.nullable(),
  finishedAt: dateInput.nullable(),
  stepCount: z.int().nonnegative(),
  cachedStepCount: z.int().nonnegative(),
  gitBranch: z.string().nullish(),
  gitCommit: z.string().nullish(),
  /** Where the build's Dockerfile is in its context (its lint findings name it). */
  dockerfilePath: z.string().min(1).default("Dockerfile"),
});

export const seedTelemetryInput = z.object({
  builds: z.array(seedBuildInput),
  org: z.object({ id: z.string().min(1), slug: z.string().min(1) }),
  projects: z.array(
    z.object({
      id: z.string().min(1),
      slug: z.string().min(1),
      /** `owner/name`; defaults to `<org slug>/<project slug>`. */
      repository: z.string().nullish(),
    }),
  ),
  /** Where the embedded engine's data lives (`<stateDir>/clickhouse`); ignored with a store. */
  stateDir: z.string().optional(),
});

export type SeedTelemetryInput = z.input<typeof seedTelemetryInput> & {
  /** Write here instead of opening the store for stateDir / CLICKHOUSE_URL (left open). */
  store?: TelemetryStore;
  /** The moment "now" for runner history and running builds (default: the current time). */
  now?: Date;
  /** Seed again even when this org was seeded before. */
  force?: boolean;
  /** Defaults to process.env.CLICKHOUSE_URL. */
  clickhouseUrl?: string;
};

export interface SeedTelemetryResult {
  skipped: boolean;
  location: string;
  events: number;
  tables: Record<string, number>;
}

type GitBuild = SeedBuild &
  Pick<z.output<typeof seedBuildInput>, "gitBranch" | "gitCommit" | "dockerfilePath">;

function normalizeBuild(b: z.output<typeof seedBuildInput>): GitBuild {
  const status = b.status ?? (b.finishedAt ? "succeeded" : b.startedAt ? "running" : "queued");
  // Keep times in order even if the summary is slightly off (the events would be refused).
  const queuedAt = b.startedAt && b.startedAt < b.queuedAt ? b.startedAt : b.queuedAt;
  const floor = b.startedAt ?? queuedAt;
  const finishedAt = b.finishedAt && b.finishedAt < floor ? floor : b.finishedAt;
  return {
    ...b,
    status,
    queuedAt,
    finishedAt,
    cachedStepCount: Math.min(b.cachedStepCount, b.stepCount),
  };
}

const iso = (d: Date) => d.toISOString();
const BRANCHES = ["feat/cache-export", "fix/healthz", "chore/deps"];

/** A Dockerfile that fits the project: by its name when it says what it is, else in turn. */
function templateFor(slug: string, index: number) {
  const byName = /web|ui|front|site|app/.test(slug)
    ? "node-web"
    : /api|server|gateway|service/.test(slug)
      ? "go-api"
      : /worker|job|queue|task/.test(slug)
        ? "python-worker"
        : undefined;
  return TEMPLATES.find((t) => t.id === byName) ?? TEMPLATES[index % TEMPLATES.length];
}

/** Each project's template by id: the events and seedDockerfiles must pick the same one. */
function templatesOf(projects: readonly { id: string; slug: string }[]) {
  const byProject = new Map(projects.map((p, i) => [p.id, templateFor(p.slug, i)]));
  return (projectId: string) => byProject.get(projectId) ?? TEMPLATES[0];
}

function buildEvents(
  build: GitBuild,
  template: Template | undefined,
  fixedAfter: Map<string, number>,
  now: Date,
): TelemetryEventInput[] {
  if (!template) return [];
  const rng = new Rng(`build:${build.orgId}:${build.id}`);
  const base = { schemaVersion: 1 as const, orgId: build.orgId, projectId: build.projectId };
  const events: TelemetryEventInput[] = [];
  const key = (kind: string) => stableUuid(`${kind}:${build.orgId}:${build.id}`);
  if (build.startedAt) {
    events.push({
      ...base,
      id: key("build.started"),
      type: "build.started",
      time: iso(build.startedAt),
      data: {
        buildId: build.id,
        number: build.number,
        platforms: build.platforms.length ? build.platforms : ["linux/amd64"],
        queuedAt: iso(build.queuedAt),
        startedAt: iso(build.startedAt),
        gitRef: `refs/heads/${build.gitBranch ?? (rng.chance(0.7) ? "main" : rng.pick(BRANCHES))}`,
        gitSha:
          build.gitCommit && /^[a-f0-9]{7,64}$/.test(build.gitCommit)
            ? build.gitCommit
            : rng.hex(40),
      },
    });
  }
  const steps = planBuildSteps(build, template, new Rng(`steps:${build.orgId}:${build.id}`), now);
  if (
    build.finishedAt &&
    (build.status === "succeeded" || build.status === "failed" || build.status === "canceled")
  ) {
    const failing = steps.find((s) => s.error && s.error !== "context canceled");
    events.push({
      ...base,
      id: key("build.finished"),
      type: "build.finished",
      time: iso(build.finishedAt),
      data: {
        buildId: build.id,
        number: build.number,
        status: build.status,
        startedAt: build.startedAt ? iso(build.startedAt) : null,
        finishedAt: iso(build.finishedAt),
        durationMs: build.startedAt
          ? Math.max(0, build.finishedAt.getTime() - build.startedAt.getTime())
          : 0,
        stepCount: build.stepCount,
        cachedStepCount: build.cachedStepCount,
        error:
          build.status === "failed"
            ? (failing?.error ?? "build failed")
            : build.status === "canceled"
              ? "canceled by user"
              : null,
        imageDigest: build.status === "succeeded" ? stableDigest(`image:${build.id}`) : null,
      },
    });
  }
  const logRng = new Rng(`logs:${build.orgId}:${build.id}`);
  steps.forEach((s, i) => {
    events.push({
      ...base,
      id: stableUuid(`step:${build.orgId}:${build.id}:${i}`),
      type: "step",
      time: iso(s.completedAt ?? s.startedAt ?? build.startedAt ?? build.queuedAt),
      data: {
        buildId: build.id,
        digest: s.digest,
        name: s.name,
        stage: s.stage,
        platform: s.platform,
        dockerfileLine: s.dockerfileLine,
        startedAt: s.startedAt ? iso(s.startedAt) : null,
        completedAt: s.completedAt ? iso(s.completedAt) : null,
        cached: s.cached,
        error: s.error,
        inputs: s.inputs,
        logs: seedStepLogs(s, logRng),
      },
    });
  });
  if (build.startedAt) {
    findingsFor(template, dockerfileForBuild(build, template)).forEach((f, i) => {
      const fixedAt = fixedAfter.get(`${build.projectId}:${f.code}`);
      if (fixedAt !== undefined && build.number >= fixedAt) return;
      events.push({
        ...base,
        id: stableUuid(`lint:${build.orgId}:${build.id}:${f.code}:${f.line}`),
        type: "lint.finding",
        time: iso(new Date((build.startedAt?.getTime() ?? 0) + 150 + i)),
        data: {
          buildId: build.id,
          code: f.code,
          level: f.level as "warning",
          line: f.line,
          message: f.message,
          file: build.dockerfilePath,
        },
      });
    });
  }
  return events;
}

const DAY = 86_400_000;
const GB = 1024 ** 3;

function cacheEvents(
  orgId: string,
  projectId: string,
  builds: SeedBuild[],
  now: Date,
): TelemetryEventInput[] {
  const rng = new Rng(`cache:${orgId}:${projectId}`);
  const events: TelemetryEventInput[] = [];
  const today = Math.floor(now.getTime() / DAY) * DAY;
  const limit = rng.range(8, 14) * GB;
  let size = rng.range(1.5, 5) * GB;
  for (let day = today - 30 * DAY; day <= today; day += DAY) {
    const time = day + 23 * 3_600_000 + 55 * 60_000;
    if (time > now.getTime()) break;
    const todays = builds.filter(
      (b) => b.finishedAt && b.finishedAt.getTime() >= day && b.finishedAt.getTime() < day + DAY,
    );
    const hits = todays.reduce((s, b) => s + b.cachedStepCount, 0);
    const misses = todays.reduce((s, b) => s + (b.stepCount - b.cachedStepCount), 0);
    size += misses * rng.around(40, 0.5) * 1024 ** 2 + rng.range(0, 0.05) * GB;
    if (size > limit) size = limit * rng.range(0.55, 0.7); // garbage collection ran
    const sizeBytes = Math.round(size);
    events.push({
      id: stableUuid(`cache.snapshot:${orgId}:${projectId}:${day}`),
      type: "cache.snapshot",
      schemaVersion: 1,
      orgId,
      projectId,
      time: iso(new Date(time)),
      data: {
        builderId: null,
        sizeBytes,
        reclaimableBytes: Math.round(sizeBytes * rng.range(0.12, 0.4)),
        entryCount: Math.round(sizeBytes / (rng.around(22, 0.2) * 1024 ** 2)),
        hitCount: hits,
        missCount: misses,
      },
    });
  }
  return events;
}

/**
 * The Dockerfile each seeded build ran, as its text: the one its steps' lines and lint findings
 * point into, for the build row (the build page marks the findings on it).
 */
export function seedDockerfiles(
  options: Pick<SeedTelemetryInput, "builds" | "projects">,
): { buildId: string; text: string }[] {
  const input = seedTelemetryInput
    .pick({ builds: true, projects: true })
    .parse({ builds: options.builds, projects: options.projects });
  const templateOf = templatesOf(input.projects);
  return input.builds.flatMap((b) => {
    const template = templateOf(b.projectId);
    if (!template) return [];
    const file = dockerfileForBuild(normalizeBuild(b), template);
    return [{ buildId: b.id, text: `${file.text.join("\n")}\n` }];
  });
}

/** Builds the demo telemetry events (deterministic for the same input and `now`). */
export function generateSeedEvents(
  input: z.output<typeof seedTelemetryInput>,
  now: Date,
): TelemetryEvent[] {
  const builds = input.builds.map(normalizeBuild);
  const templateOf = templatesOf(input.projects);
  // Each project fixes some of its lint findings at some build and lives with the rest.
  const fixedAfter = new Map<string, number>();
  for (const p of input.projects) {
    const rng = new Rng(`lint-fixes:${input.org.id}:${p.id}`);
    const numbers = builds.filter((b) => b.projectId === p.id).map((b) => b.number);
    const max = numbers.length ? Math.max(...numbers) : 1;
    for (const code of [
      "DL3008",
      "DL3009",
      "DL3013",
      "DL3015",
      "DL3018",
      "DL3025",
      "DL3042",
      "DL3059",
      "DL4006",
    ]) {
      if (rng.chance(0.45))
        fixedAfter.set(`${p.id}:${code}`, Math.max(2, Math.round(max * rng.range(0.3, 0.9))));
    }
  }
  const raw: TelemetryEventInput[] = [];
  for (const b of builds) {
    raw.push(...buildEvents(b, templateOf(b.projectId), fixedAfter, now));
  }
  raw.push(
    ...seedRunnerEvents(
      input.projects.map((p) => ({
        orgId: input.org.id,
        projectId: p.id,
        repository: p.repository ?? `${input.org.slug}/${p.slug}`,
      })),
      now,
    ),
  );
  for (const p of input.projects) {
    raw.push(
      ...cacheEvents(
        input.org.id,
        p.id,
        builds.filter((b) => b.projectId === p.id),
        now,
      ),
    );
  }
  return raw.map((e) => telemetryEvent.parse(e));
}

/**
 * Writes realistic demo telemetry for the builds the PostgreSQL seed made: BuildKit steps, lint
 * findings, 30 days of GitHub Actions jobs and daily cache snapshots, all with `source = 'seed'`.
 * Migrates first. Skips an org that was seeded before (unless `force`). Opens the embedded
 * engine at `<stateDir>/clickhouse` (so ingest must not be running) or the server at
 * CLICKHOUSE_URL.
 */
export async function seedTelemetry(options: SeedTelemetryInput): Promise<SeedTelemetryResult> {
  const input = seedTelemetryInput.parse(options);
  const now = options.now ?? new Date();
  const store =
    options.store ??
    createStore({
      CLICKHOUSE_URL: options.clickhouseUrl ?? process.env.CLICKHOUSE_URL,
      SLIPWAY_STATE_DIR: input.stateDir ?? process.env.SLIPWAY_STATE_DIR,
    });
  try {
    await migrateClickHouse(store);
    if (!options.force) {
      const seeded = await store.query<{ n: number }>(
        "SELECT count() AS n FROM telemetry_seeds FINAL WHERE org_id = {orgId:String}",
        { orgId: input.org.id },
      );
      if (Number(seeded[0]?.n ?? 0) > 0) {
        return { skipped: true, location: store.location, events: 0, tables: {} };
      }
    }
    const events = generateSeedEvents(input, now);
    const tables = await writeEvents(store, events, { source: "seed" });
    await store.insert("telemetry_seeds", [
      {
        org_id: input.org.id,
        seed_version: SEED_VERSION,
        seeded_at: toClickHouseDateTime(new Date()),
        summary: JSON.stringify(tables),
      },
    ]);
    return { skipped: false, location: store.location, events: events.length, tables };
  } finally {
    if (!options.store) await store.close();
  }
}
