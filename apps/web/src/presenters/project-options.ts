// Choices and limits of the project settings and runner pages. Pure (no server imports), so the
// forms in the browser and the zod schemas on the server share one list.

import type { BuilderSize, LintPolicy } from "@slipway/db/enums";

/** Platforms builder-core can build (natively or under QEMU); the settings form offers these. */
export const KNOWN_PLATFORMS = [
  "linux/amd64",
  "linux/arm64",
  "linux/arm/v7",
  "linux/386",
  "linux/ppc64le",
  "linux/s390x",
  "linux/riscv64",
] as const;

export const BUILDER_SIZES = ["SMALL", "MEDIUM", "LARGE"] as const satisfies readonly BuilderSize[];
export const LINT_POLICIES = [
  "REPORT",
  "FAIL_ON_ERROR",
  "FAIL_ON_WARNING",
] as const satisfies readonly LintPolicy[];

export const GIB = 1024 ** 3;
export const LIMITS = {
  buildsPerBuilder: { min: 1, max: 16 },
  maxBuilders: { min: 1, max: 20 },
  cacheSizeLimitGiB: { min: 1, max: 2048 },
  cacheRetentionDays: { min: 1, max: 365 },
} as const;

export const RUNNER_PERIODS = [7, 30, 90] as const;
export type RunnerPeriod = (typeof RUNNER_PERIODS)[number];
export const RUNNER_JOBS_PAGE_SIZE = 25;
/** ingest answers at most 1000 jobs per query and has no offset: pages end there. */
export const RUNNER_JOBS_MAX_PAGE = Math.floor(1000 / RUNNER_JOBS_PAGE_SIZE);
