import { describe, expect, it } from "vitest";
import { demoBuildResources } from "./build-resources.ts";
import { createRng } from "./prng.ts";

const input = {
  projectSlug: "worker",
  builderSize: "SMALL",
  status: "SUCCEEDED" as const,
  durationMs: 95_000,
  platforms: ["linux/amd64"],
};

describe("demoBuildResources", () => {
  it("is deterministic and keeps memory under the builder's limit", () => {
    const a = demoBuildResources(createRng("x"), input);
    expect(demoBuildResources(createRng("x"), input)).toEqual(a);
    expect(a.memoryLimitBytes).toBe(2n * 1024n ** 3n);
    const samples = a.resourceSamples as { t: number; memoryBytes: number }[];
    expect(samples.length).toBeGreaterThan(50);
    expect(samples.length).toBeLessThanOrEqual(130);
    expect(Math.max(...samples.map((s) => s.memoryBytes))).toBeLessThanOrEqual(
      2 * 1024 ** 3 * 1.02,
    );
    expect(a.oomKilled).toBe(false);
    expect(a.imageSizeBytes).not.toBeNull();
    const largest = a.contextLargest as { path: string; bytes: number }[];
    expect(largest[0]?.path).toBe("models");
    expect(largest.every((e) => e.bytes < Number(a.contextBytes))).toBe(true);
  });

  it("marks some failed builds on small builders as out of memory, peaking at the limit", () => {
    const failed = Array.from({ length: 20 }, (_, i) =>
      demoBuildResources(createRng(`f${i}`), { ...input, status: "FAILED" }),
    );
    const oom = failed.filter((r) => r.oomKilled);
    expect(oom.length).toBeGreaterThan(0);
    for (const r of oom) expect(r.peakMemoryBytes).toBe(r.memoryLimitBytes);
    expect(failed.every((r) => r.imageSizeBytes === null)).toBe(true);
  });
});
