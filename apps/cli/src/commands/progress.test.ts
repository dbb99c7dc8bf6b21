import { describe, expect, it } from "vitest";
import {
  type BuildStreamEvent,
  createRenderer,
  formatSummary,
  type StreamSummary,
} from "./progress.ts";

const summary: StreamSummary = {
  buildId: "b1",
  number: 7,
  status: "succeeded",
  durationMs: 3_200,
  queuedMs: 0,
  stepCount: 3,
  cachedStepCount: 2,
  cacheHitRatio: 2 / 3,
  imageId: `sha256:${"a".repeat(64)}`,
  imageSize: 2_000_000,
  tags: ["acme/web:1"],
  steps: [
    { name: "[3/3] RUN make", platform: "linux/amd64", durationMs: 2_100, cached: false },
    { name: "[2/3] COPY . .", platform: "linux/amd64", durationMs: 0, cached: true },
  ],
};

function render(mode: "plain" | "json", events: BuildStreamEvent[]) {
  let out = "";
  let err = "";
  const renderer = createRenderer(
    mode,
    { out: (text) => (out += text), err: (text) => (err += text) },
    false,
  );
  for (const event of events) renderer.handle(event);
  renderer.finish();
  return { out, err, renderer };
}

describe("plain progress", () => {
  it("prints a line per step start and finish, logs, CACHED marks and the slowest steps", () => {
    const step = { digest: "sha256:1", name: "[3/3] RUN make", cached: false };
    const { out, renderer } = render("plain", [
      {
        type: "build",
        build: {
          id: "b1",
          number: 7,
          project: { slug: "web" },
          org: { slug: "acme" },
          platforms: ["linux/amd64"],
          tags: [],
          dockerfile: "Dockerfile",
        },
        context: { bytes: 2048, fileCount: 2, fileBytes: 10 },
      },
      { type: "queued", platform: "linux/amd64", position: 1 },
      {
        type: "step",
        platform: "linux/amd64",
        step: { digest: "sha256:0", name: "[2/3] COPY . .", cached: true, completedAt: "x" },
      },
      {
        type: "step",
        platform: "linux/amd64",
        step: { ...step, startedAt: "2025-01-01T00:00:00Z" },
      },
      {
        type: "log",
        platform: "linux/amd64",
        digest: "sha256:1",
        stream: "stdout",
        text: "compiling\n",
      },
      {
        type: "step",
        platform: "linux/amd64",
        step: { ...step, completedAt: "2025-01-01T00:00:02Z", durationMs: 2_100 },
      },
      { type: "summary", summary },
    ]);
    expect(out).toContain("Build #7 of acme/web (linux/amd64) · context 2 files, 2.0 kB sent");
    expect(out).toContain("queued: position 1");
    expect(out).toContain("#1 [2/3] COPY . .\n#1 CACHED\n");
    expect(out).toContain("#2 [3/3] RUN make\n#2 compiling\n#2 DONE 2.1s\n");
    expect(out).toMatch(
      /Slowest steps:\n\s+TIME {2}STEP\n\s+2\.1s {2}\[3\/3\] RUN make\n\s+CACHED {2}\[2\/3\] COPY/,
    );
    expect(out).toContain(
      "Build #7 succeeded in 3.2s · 3 steps, 2 cached (67%) · image sha256:aaaaaaaaaaaa (2.0 MB) · tagged acme/web:1",
    );
    expect(renderer.buildId).toBe("b1");
  });

  it("json mode prints the raw events only", () => {
    const { out } = render("json", [{ type: "summary", summary }]);
    expect(JSON.parse(out)).toEqual({ type: "summary", summary });
  });

  it("prints the queue time, context size and peak memory, and warns of an out-of-memory kill", () => {
    const text = formatSummary({
      ...summary,
      queuedMs: 4_200,
      context: { bytes: 1_250_000, fileCount: 203 },
      resources: {
        peakMemoryBytes: 180_000_000,
        memoryLimitBytes: 4_000_000_000,
        oomKilled: false,
      },
    });
    expect(text).toContain(
      "queued 4.2s · context 1.3 MB (203 files) · peak memory 180.0 MB of 4.0 GB",
    );
    expect(text).not.toContain("OUT OF MEMORY");
    const oom = formatSummary({
      ...summary,
      status: "failed",
      resources: { peakMemoryBytes: 400_000_000, memoryLimitBytes: 402_653_184, oomKilled: true },
      error: { kind: "out-of-memory", message: "killed" },
    });
    expect(oom).toContain("OUT OF MEMORY: a step was killed at the builder's limit");
    expect(oom).toContain("Build #7 failed: out-of-memory: killed");
  });

  it("shows each change of queue position", () => {
    const { out } = render("plain", [
      { type: "queued", platform: "linux/amd64", position: 2 },
      { type: "queued", platform: "linux/amd64", position: 1 },
      { type: "started", platform: "linux/amd64", engineId: "e1" },
    ]);
    expect(out).toBe("queued: position 2\nqueued: position 1\nbuilding on e1\n");
  });

  it("says why a build failed", () => {
    expect(
      formatSummary({
        ...summary,
        status: "failed",
        error: { kind: "step-failed", message: "exit code: 2" },
      }),
    ).toContain("Build #7 failed: step-failed: exit code: 2");
  });
});
