/** GitHub Actions jobs and steps for the demo repositories over the last 30 days. */
import type { TelemetryEventInput } from "../events/index.ts";
import { Rng, stableUuid } from "./random.ts";

export interface SeedRepo {
  orgId: string;
  projectId: string | null;
  repository: string;
}

type Conclusion = "success" | "failure" | "cancelled";

interface JobSpec {
  name: string;
  label: "ubuntu-latest" | "slipway-4cpu" | "slipway-arm64";
  /** Median duration in seconds. */
  seconds: number;
  steps: [name: string, weight: number][];
}

const setupNode: [string, number][] = [
  ["Set up job", 2],
  ["Run actions/checkout@v4", 3],
  ["Run actions/setup-node@v4", 5],
  ["Run npm ci", 30],
];
const teardown: [string, number][] = [
  ["Post Run actions/setup-node@v4", 1],
  ["Post Run actions/checkout@v4", 1],
  ["Complete job", 1],
];
const imageSteps = (platform: string): [string, number][] => [
  ["Set up job", 2],
  ["Run actions/checkout@v4", 3],
  ["Run slipway/setup-action@v1", 4],
  [`Run slipway build --platform ${platform} --push`, 80],
  ["Post Run actions/checkout@v4", 1],
  ["Complete job", 1],
];

const WORKFLOWS: Record<"ci" | "release", JobSpec[]> = {
  ci: [
    {
      name: "lint",
      label: "ubuntu-latest",
      seconds: 75,
      steps: [...setupNode, ["Run npm run lint", 25], ...teardown],
    },
    {
      name: "test",
      label: "slipway-4cpu",
      seconds: 260,
      steps: [...setupNode, ["Run npm test", 70], ...teardown],
    },
    {
      name: "build-image (amd64)",
      label: "slipway-4cpu",
      seconds: 310,
      steps: imageSteps("linux/amd64"),
    },
    {
      name: "build-image (arm64)",
      label: "slipway-arm64",
      seconds: 420,
      steps: imageSteps("linux/arm64"),
    },
  ],
  release: [
    {
      name: "publish (amd64)",
      label: "slipway-4cpu",
      seconds: 380,
      steps: imageSteps("linux/amd64"),
    },
    {
      name: "publish (arm64)",
      label: "slipway-arm64",
      seconds: 520,
      steps: imageSteps("linux/arm64"),
    },
    {
      name: "github-release",
      label: "ubuntu-latest",
      seconds: 40,
      steps: [
        ["Set up job", 2],
        ["Run actions/checkout@v4", 3],
        ["Run softprops/action-gh-release@v2", 8],
        ["Post Run actions/checkout@v4", 1],
        ["Complete job", 1],
      ],
    },
  ],
};

const BRANCHES = [
  "main",
  "main",
  "main",
  "feat/cache-export",
  "fix/flaky-test",
  "chore/deps",
  "feat/arm64-runners",
];
const DAY = 86_400_000;

/**
 * Workflow runs for each repository: weekdays busier than weekends, working hours busier than
 * nights, queue time longer on the scarcer arm64 runners and at peak hours.
 */
export function seedRunnerEvents(repos: readonly SeedRepo[], now: Date): TelemetryEventInput[] {
  const events: TelemetryEventInput[] = [];
  const today = Math.floor(now.getTime() / DAY) * DAY;
  let runSeq = 0;
  let jobSeq = 0;
  for (const repo of repos) {
    const rng = new Rng(`runners:${repo.orgId}:${repo.repository}`);
    let release = { major: 1, minor: rng.int(2, 8), patch: 0 };
    for (let day = today - 30 * DAY; day <= today; day += DAY) {
      const weekday = new Date(day).getUTCDay();
      const weekend = weekday === 0 || weekday === 6;
      const runs: { workflow: "ci" | "release"; at: number }[] = [];
      const ciRuns = weekend ? rng.int(0, 2) : rng.int(3, 9);
      for (let i = 0; i < ciRuns; i++) {
        const hour = weekend
          ? rng.range(0, 24)
          : rng.weighted([
              [rng.range(7, 12), 4],
              [rng.range(12, 19), 5],
              [rng.range(19, 24), 1],
            ]);
        runs.push({ workflow: "ci", at: day + Math.floor(hour * 3_600_000) });
      }
      if (!weekend && rng.chance(0.22))
        runs.push({ workflow: "release", at: day + Math.floor(rng.range(13, 17) * 3_600_000) });
      for (const run of runs.sort((a, b) => a.at - b.at)) {
        if (run.at > now.getTime()) continue;
        runSeq++;
        const runId = 11_000_000_000 + runSeq * 7919 + rng.int(0, 7000);
        const runAttempt = rng.chance(0.04) ? 2 : 1;
        const headSha = rng.hex(40);
        if (run.workflow === "release") {
          release = rng.chance(0.25)
            ? { ...release, minor: release.minor + 1, patch: 0 }
            : { ...release, patch: release.patch + 1 };
        }
        const headBranch =
          run.workflow === "release"
            ? `v${release.major}.${release.minor}.${release.patch}`
            : rng.pick(BRANCHES);
        const peak = new Date(run.at).getUTCHours() >= 13 && new Date(run.at).getUTCHours() < 17;
        for (const spec of WORKFLOWS[run.workflow]) {
          jobSeq++;
          const jobId = 30_000_000_000 + jobSeq * 104_729 + rng.int(0, 100_000);
          const queuedAt = run.at + rng.int(0, 4000);
          const queueMs =
            spec.label === "ubuntu-latest"
              ? rng.around(9_000, 0.6)
              : spec.label === "slipway-arm64"
                ? rng.around(peak ? 45_000 : 8_000, 0.8)
                : rng.around(peak ? 12_000 : 3_000, 0.7);
          const conclusion: Conclusion = rng.weighted([
            ["success", 88],
            ["failure", 8],
            ["cancelled", 4],
          ]);
          const startedAt = queuedAt + Math.round(queueMs);
          const fullMs = rng.around(spec.seconds * 1000, 0.25);
          const durationMs = Math.round(
            conclusion === "success" ? fullMs : fullMs * rng.range(0.3, 0.9),
          );
          const completedAt = startedAt + durationMs;
          if (completedAt > now.getTime()) continue;
          const runner =
            spec.label === "ubuntu-latest"
              ? { name: `GitHub Actions ${rng.int(2, 40)}`, group: "GitHub Actions" }
              : { name: `${spec.label}-${rng.hex(6)}`, group: "slipway" };
          const jobKey = `${repo.orgId}:${repo.repository}:${runId}:${runAttempt}:${jobId}`;
          events.push({
            id: stableUuid(`runner.job:${jobKey}`),
            type: "runner.job",
            schemaVersion: 1,
            orgId: repo.orgId,
            projectId: repo.projectId,
            time: new Date(completedAt).toISOString(),
            data: {
              repository: repo.repository,
              workflow: run.workflow,
              runId,
              runAttempt,
              jobId,
              jobName: spec.name,
              labels: [spec.label],
              runnerName: runner.name,
              runnerGroup: runner.group,
              status: "completed",
              conclusion,
              queuedAt: new Date(queuedAt).toISOString(),
              startedAt: new Date(startedAt).toISOString(),
              completedAt: new Date(completedAt).toISOString(),
              headBranch,
              headSha,
            },
          });
          events.push(
            ...jobSteps(
              repo,
              spec,
              { runId, runAttempt, jobId, jobKey, startedAt, durationMs, conclusion },
              rng,
            ),
          );
        }
      }
    }
  }
  return events;
}

function jobSteps(
  repo: SeedRepo,
  spec: JobSpec,
  job: {
    runId: number;
    runAttempt: number;
    jobId: number;
    jobKey: string;
    startedAt: number;
    durationMs: number;
    conclusion: Conclusion;
  },
  rng: Rng,
): TelemetryEventInput[] {
  const weights = spec.steps.map(([, w]) => w * rng.around(1, 0.2));
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  // The step that fails (or is running when the job is cancelled) is the main work step.
  const mainIndex = weights.indexOf(Math.max(...weights));
  const events: TelemetryEventInput[] = [];
  let t = job.startedAt;
  spec.steps.forEach(([name], i) => {
    const after = job.conclusion !== "success" && i > mainIndex;
    const always = name.startsWith("Post ") || name === "Complete job";
    const skipped = after && !always;
    const ms = skipped ? 0 : Math.round(((weights[i] ?? 0) / totalWeight) * job.durationMs);
    const startedAt = t;
    const completedAt = Math.min(job.startedAt + job.durationMs, t + ms);
    t = completedAt;
    const conclusion = skipped
      ? "skipped"
      : i === mainIndex && job.conclusion !== "success"
        ? job.conclusion
        : "success";
    events.push({
      id: stableUuid(`runner.step:${job.jobKey}:${i + 1}`),
      type: "runner.step",
      schemaVersion: 1,
      orgId: repo.orgId,
      projectId: repo.projectId,
      time: new Date(completedAt).toISOString(),
      data: {
        repository: repo.repository,
        runId: job.runId,
        runAttempt: job.runAttempt,
        jobId: job.jobId,
        number: i + 1,
        name,
        status: "completed",
        conclusion,
        startedAt: skipped ? null : new Date(startedAt).toISOString(),
        completedAt: skipped ? null : new Date(completedAt).toISOString(),
      },
    });
  });
  return events;
}
