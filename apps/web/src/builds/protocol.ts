// The NDJSON stream `POST /api/v1/projects/:project/builds` answers with: one JSON object per
// line, in this order: `build`, then `lint` (when linting), `queued`/`started` per platform,
// `phase`/`step`/`log`/`warning` while it runs, `error` when it fails, and always `summary` last.

export type BuildFinalStatus = "succeeded" | "failed" | "canceled";

export interface StreamStep {
  digest: string;
  name: string;
  stage?: string;
  stepIndex?: number;
  stepTotal?: number;
  instruction?: string;
  dockerfileLine?: number;
  startedAt?: string;
  completedAt?: string;
  durationMs?: number;
  cached: boolean;
  error?: string;
}

export interface StreamLintFinding {
  code: string;
  level: "error" | "warning" | "info" | "style";
  line: number;
  column: number;
  message: string;
}

export interface StreamSummary {
  buildId: string;
  number: number;
  status: BuildFinalStatus;
  durationMs: number;
  /** startedAt − queuedAt (waiting for a builder, and for it to start). */
  queuedMs: number;
  queuedAt?: string;
  startedAt?: string | null;
  stepCount: number;
  cachedStepCount: number;
  cacheHitRatio: number;
  imageId?: string;
  /** Bytes of the image (several platforms: the largest). */
  imageSize?: number;
  tags: string[];
  /** The context the engine used: file bytes and count after .dockerignore, largest paths. */
  context?: {
    bytes: number;
    fileCount: number;
    /** The tar as uploaded (headers included). */
    tarBytes: number;
    largest: { path: string; kind: "file" | "dir"; bytes: number }[];
  };
  /** The builders' memory and CPU over the build (null where nothing was sampled). */
  resources?: {
    peakMemoryBytes: number | null;
    memoryLimitBytes: number | null;
    oomKilled: boolean;
    samples: { t: number; platform: string; cpuPercent: number; memoryBytes: number }[];
  };
  /** Multi-platform push: the manifest list pushed under each tag. */
  manifestLists?: { tag: string; digest: string }[];
  platforms: {
    platform: string;
    status: BuildFinalStatus;
    engineId?: string;
    /** When it started on its builder (platforms run in parallel). */
    startedAt?: string;
    durationMs: number;
    stepCount: number;
    cachedStepCount: number;
    imageId?: string;
    imageSize?: number;
    peakMemoryBytes?: number;
    /** Built under QEMU emulation (a foreign platform with no remote native engine). */
    emulated?: boolean;
    /** Where it ran: a local engine, a remote native engine, or locally under emulation. */
    route?: "native" | "remote" | "emulated";
    /** Tags pushed to their registries, with the manifest digest (push=1). */
    pushed?: { tag: string; digest?: string }[];
    error?: { kind: string; message: string };
  }[];
  /** The Dockerfile's steps with their times, slowest first (the CLI prints the top ones). */
  steps: { name: string; platform: string; durationMs: number; cached: boolean }[];
  error?: { kind: string; message: string };
}

export type BuildStreamEvent =
  | {
      type: "build";
      build: {
        id: string;
        number: number;
        project: { id: string; slug: string };
        org: { id: string; slug: string };
        platforms: string[];
        tags: string[];
        dockerfile: string;
      };
      context: { bytes: number; fileCount: number; fileBytes: number };
    }
  | {
      type: "lint";
      findings: StreamLintFinding[];
      failOn: "error" | "warning" | null;
      failed: boolean;
    }
  | { type: "queued"; platform: string; position: number }
  | { type: "started"; platform: string; engineId?: string }
  | { type: "phase"; platform: string; phase: string }
  | { type: "step"; platform: string; step: StreamStep }
  | { type: "log"; platform: string; digest: string; stream: string; text: string }
  | { type: "warning"; platform: string; message: string }
  | { type: "error"; kind: string; message: string; platform?: string }
  | { type: "summary"; summary: StreamSummary };
