// Plausible values for a demo build's context, builder CPU/memory and image size (the columns
// real builds fill from the context tar and the engine's cgroup). Pure: same rng, same values.

import type { BuildStatus, Prisma } from "../generated/prisma/client.ts";
import type { Rng } from "./prng.ts";

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** Memory limit of a builder by size (what the engine's cgroup is given). */
const LIMITS: Record<string, number> = { SMALL: 2 * GiB, MEDIUM: 4 * GiB, LARGE: 8 * GiB };

const PATHS: Record<string, { path: string; kind: "file" | "dir"; share: number }[]> = {
  api: [
    { path: "vendor", kind: "dir", share: 0.46 },
    { path: "internal", kind: "dir", share: 0.22 },
    { path: "testdata", kind: "dir", share: 0.14 },
    { path: "testdata/fixtures.sql.gz", kind: "file", share: 0.09 },
    { path: "docs", kind: "dir", share: 0.05 },
    { path: "go.sum", kind: "file", share: 0.004 },
  ],
  web: [
    { path: "public", kind: "dir", share: 0.38 },
    { path: "src", kind: "dir", share: 0.24 },
    { path: "public/videos/hero.mp4", kind: "file", share: 0.21 },
    { path: ".next/cache", kind: "dir", share: 0.12 },
    { path: "package-lock.json", kind: "file", share: 0.01 },
  ],
  worker: [
    { path: "models", kind: "dir", share: 0.61 },
    { path: "models/classifier.onnx", kind: "file", share: 0.55 },
    { path: "src", kind: "dir", share: 0.2 },
    { path: "requirements.txt", kind: "file", share: 0.001 },
  ],
};

export function demoBuildResources(
  rng: Rng,
  b: {
    projectSlug: string;
    builderSize: string;
    status: BuildStatus;
    durationMs: number;
    platforms: string[];
  },
): Pick<
  Prisma.BuildCreateManyInput,
  | "contextBytes"
  | "contextFileCount"
  | "contextLargest"
  | "resourceSamples"
  | "memoryLimitBytes"
  | "peakMemoryBytes"
  | "oomKilled"
  | "imageSizeBytes"
> {
  const contextBytes = Math.round(rng.float(40, 180) * MiB);
  const paths = PATHS[b.projectSlug] ?? PATHS.api ?? [];
  const largest = paths.map((p) => ({
    path: p.path,
    kind: p.kind,
    bytes: Math.round(contextBytes * p.share * rng.float(0.9, 1.1)),
  }));
  const limit = LIMITS[b.builderSize] ?? 4 * GiB;
  // Some failed builds of the smallest builders ran out of memory: the demo shows the warning.
  const oomKilled = b.status === "FAILED" && b.builderSize === "SMALL" && rng.chance(0.6);
  const peakShare = oomKilled ? 1 : rng.float(0.35, 0.85);
  // One sample a second, thinned to at most ~120 points per platform so rows stay small.
  const seconds = Math.max(2, Math.round(b.durationMs / 1000));
  const every = Math.max(1, Math.ceil(seconds / 120));
  const samples: { t: number; platform: string; cpuPercent: number; memoryBytes: number }[] = [];
  for (const platform of b.platforms.length > 0 ? b.platforms : ["linux/amd64"]) {
    for (let s = 0; s <= seconds; s += every) {
      const x = s / seconds;
      // Memory climbs through the build (dependency install, compile) and drops at export.
      const shape = x < 0.85 ? 0.25 + 0.75 * Math.sin((x / 0.85) * (Math.PI / 2)) : 0.6;
      samples.push({
        t: s * 1000,
        platform,
        cpuPercent: Math.round(rng.float(30, 100) * (x < 0.1 ? 0.3 : x < 0.85 ? 2.6 : 0.8)),
        memoryBytes: Math.round(limit * peakShare * shape * rng.float(0.95, 1.02)),
      });
    }
  }
  const peak = Math.max(...samples.map((s) => s.memoryBytes));
  return {
    contextBytes: BigInt(contextBytes),
    contextFileCount: rng.int(300, 6000),
    contextLargest: largest,
    resourceSamples: samples,
    memoryLimitBytes: BigInt(limit),
    peakMemoryBytes: BigInt(Math.min(oomKilled ? limit : peak, limit)),
    oomKilled,
    imageSizeBytes: b.status === "SUCCEEDED" ? BigInt(Math.round(rng.float(60, 900) * MiB)) : null,
  };
}
