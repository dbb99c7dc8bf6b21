// Renders the NDJSON events of a build (the server's src/builds/protocol.ts) like buildx does:
// `plain` prints one line per step start and finish, `tty` redraws a live view, `json` prints
// the raw events. Each ends with the slowest steps and a one-line result.

export interface StreamStep {
  digest: string;
  name: string;
  stepIndex?: number;
  startedAt?: string;
  completedAt?: string;
  durationMs?: number;
  cached: boolean;
  error?: string;
}

export interface StreamSummary {
  buildId: string;
  number: number;
  status: "succeeded" | "failed" | "canceled";
  durationMs: number;
  queuedMs: number;
  stepCount: number;
  cachedStepCount: number;
  cacheHitRatio: number;
  imageId?: string;
  imageSize?: number;
  tags: string[];
  /** The context the engine used (after .dockerignore). */
  context?: { bytes: number; fileCount: number };
  /** The builders' peak memory and limit; oomKilled when a step was killed for memory. */
  resources?: {
    peakMemoryBytes: number | null;
    memoryLimitBytes: number | null;
    oomKilled: boolean;
  };
  /** Multi-platform push: the manifest list pushed under each tag. */
  manifestLists?: { tag: string; digest: string }[];
  steps: { name: string; platform: string; durationMs: number; cached: boolean }[];
  error?: { kind: string; message: string };
}

export type BuildStreamEvent =
  | {
      type: "build";
      build: {
        id: string;
        number: number;
        project: { slug: string };
        org: { slug: string };
        platforms: string[];
        tags: string[];
        dockerfile: string;
      };
      context: { bytes: number; fileCount: number; fileBytes: number };
    }
  | {
      type: "lint";
      findings: { code: string; level: string; line: number; message: string }[];
      failOn: string | null;
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

export interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${(ms / 1000).toFixed(1)}s`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes}m${Math.round((ms % 60_000) / 1000)}s`;
}

export function formatBytes(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** The slowest steps as a small table, then the result line. */
export function formatSummary(summary: StreamSummary, top = 5): string {
  const lines: string[] = [];
  const slow = summary.steps.filter((step) => step.durationMs > 0 || step.cached).slice(0, top);
  const multi = new Set(summary.steps.map((step) => step.platform)).size > 1;
  if (slow.length > 0) {
    lines.push("", "Slowest steps:", `  ${"TIME".padStart(7)}  STEP`);
    for (const step of slow) {
      const name = multi ? `[${step.platform}] ${step.name}` : step.name;
      const time = step.cached ? "CACHED" : formatDuration(step.durationMs);
      lines.push(`  ${time.padStart(7)}  ${name}`);
    }
  }
  lines.push("");
  const facts: string[] = [];
  if (summary.queuedMs >= 1000) facts.push(`queued ${formatDuration(summary.queuedMs)}`);
  if (summary.context) {
    facts.push(
      `context ${formatBytes(summary.context.bytes)} (${summary.context.fileCount} files)`,
    );
  }
  const resources = summary.resources;
  if (resources?.peakMemoryBytes) {
    const limit = resources.memoryLimitBytes
      ? ` of ${formatBytes(resources.memoryLimitBytes)}`
      : "";
    facts.push(`peak memory ${formatBytes(resources.peakMemoryBytes)}${limit}`);
  }
  if (resources?.oomKilled) facts.push("OUT OF MEMORY: a step was killed at the builder's limit");
  if (facts.length > 0) lines.push(facts.join(" · "));
  for (const list of summary.manifestLists ?? []) {
    lines.push(`manifest list ${list.tag} → ${list.digest.slice(0, 19)}`);
  }
  const head = `Build #${summary.number}`;
  if (summary.status === "succeeded") {
    const ratio = Math.round(summary.cacheHitRatio * 100);
    const parts = [
      `${head} succeeded in ${formatDuration(summary.durationMs)}`,
      `${summary.stepCount} steps, ${summary.cachedStepCount} cached (${ratio}%)`,
    ];
    if (summary.imageId) {
      const size = summary.imageSize !== undefined ? ` (${formatBytes(summary.imageSize)})` : "";
      parts.push(`image ${summary.imageId.slice(0, 19)}${size}`);
    }
    if (summary.tags.length > 0) parts.push(`tagged ${summary.tags.join(", ")}`);
    lines.push(parts.join(" · "));
  } else if (summary.status === "canceled") {
    lines.push(`${head} canceled after ${formatDuration(summary.durationMs)}`);
  } else {
    const error = summary.error ? `: ${summary.error.kind}: ${summary.error.message}` : "";
    lines.push(`${head} failed${error}`);
  }
  return lines.join("\n");
}

interface TrackedStep {
  n: number;
  platform: string;
  step: StreamStep;
  announced: boolean;
  finished: boolean;
  logs: string[];
  seenAt: number;
}

/** Shared state: steps numbered in the order they appear (`#1`, `#2`, ... like buildx). */
abstract class Renderer {
  protected readonly steps = new Map<string, TrackedStep>();
  protected platforms: string[] = [];
  protected counter = 0;
  summary: StreamSummary | undefined;
  buildId: string | undefined;
  buildNumber: number | undefined;

  constructor(protected readonly output: Output) {}

  protected track(platform: string, step: StreamStep): TrackedStep {
    const key = `${platform}\n${step.digest}`;
    let tracked = this.steps.get(key);
    if (!tracked) {
      this.counter += 1;
      tracked = {
        n: this.counter,
        platform,
        step,
        announced: false,
        finished: false,
        logs: [],
        seenAt: Date.now(),
      };
      this.steps.set(key, tracked);
    } else {
      tracked.step = { ...tracked.step, ...step };
    }
    return tracked;
  }

  protected prefix(platform: string | undefined): string {
    return platform && this.platforms.length > 1 ? `[${platform}] ` : "";
  }

  protected describeBuild(event: Extract<BuildStreamEvent, { type: "build" }>): string {
    const { build, context } = event;
    return (
      `Build #${build.number} of ${build.org.slug}/${build.project.slug} ` +
      `(${build.platforms.join(", ")}) · context ${context.fileCount} files, ` +
      `${formatBytes(context.bytes)} sent`
    );
  }

  protected describeLint(event: Extract<BuildStreamEvent, { type: "lint" }>): string[] {
    const lines = event.findings.map(
      (f) => `  Dockerfile:${f.line} ${f.code} ${f.level}: ${f.message}`,
    );
    const count = event.findings.length;
    const policy = event.failOn ? ` (failing on ${event.failOn} or above)` : "";
    lines.unshift(
      `lint: ${count === 0 ? "no findings" : `${count} finding${count === 1 ? "" : "s"}`}${policy}`,
    );
    if (event.failed) lines.push("lint: the build stops here");
    return lines;
  }

  handle(event: BuildStreamEvent): void {
    if (event.type === "build") {
      this.buildId = event.build.id;
      this.buildNumber = event.build.number;
      this.platforms = event.build.platforms;
    } else if (event.type === "summary") {
      this.summary = event.summary;
    }
    this.render(event);
  }

  protected abstract render(event: BuildStreamEvent): void;

  /** Called once the stream ends (stops timers, prints the summary). */
  finish(): void {
    if (this.summary) this.output.out(`${formatSummary(this.summary)}\n`);
  }
}

export class JsonRenderer extends Renderer {
  protected render(event: BuildStreamEvent): void {
    this.output.out(`${JSON.stringify(event)}\n`);
  }
  override finish(): void {}
}

export class PlainRenderer extends Renderer {
  protected render(event: BuildStreamEvent): void {
    const out = (line: string) => this.output.out(`${line}\n`);
    switch (event.type) {
      case "build":
        out(this.describeBuild(event));
        break;
      case "lint":
        for (const line of this.describeLint(event)) out(line);
        break;
      case "queued":
        out(`${this.prefix(event.platform)}queued: position ${event.position}`);
        break;
      case "started":
        out(
          `${this.prefix(event.platform)}building${event.engineId ? ` on ${event.engineId}` : ""}`,
        );
        break;
      case "step": {
        const tracked = this.track(event.platform, event.step);
        const { step } = tracked;
        const p = this.prefix(event.platform);
        if (!tracked.announced && (step.startedAt || step.completedAt || step.cached)) {
          tracked.announced = true;
          out(`${p}#${tracked.n} ${step.name}`);
        }
        if (!tracked.finished && (step.completedAt || step.error)) {
          tracked.finished = true;
          if (step.error) out(`${p}#${tracked.n} ERROR: ${step.error}`);
          else if (step.cached) out(`${p}#${tracked.n} CACHED`);
          else out(`${p}#${tracked.n} DONE ${formatDuration(step.durationMs ?? 0)}`);
        }
        break;
      }
      case "log": {
        const tracked = this.steps.get(`${event.platform}\n${event.digest}`);
        const label = tracked ? `#${tracked.n}` : "#?";
        for (const line of event.text.replace(/\n$/, "").split("\n")) {
          out(`${this.prefix(event.platform)}${label} ${line}`);
        }
        break;
      }
      case "warning":
        out(`${this.prefix(event.platform)}WARNING: ${event.message}`);
        break;
      case "error":
        this.output.err(`error: ${event.kind}: ${event.message}\n`);
        break;
      default:
        break;
    }
  }
}

/** Live view for terminals: the steps so far, redrawn in place ten times a second. */
export class TtyRenderer extends Renderer {
  #header: string[] = [];
  #drawn = 0;
  #timer: NodeJS.Timeout | undefined;
  #started = Date.now();
  #state = "waiting";

  constructor(
    output: Output,
    readonly columns: () => number = () => process.stdout.columns || 100,
  ) {
    super(output);
  }

  protected render(event: BuildStreamEvent): void {
    switch (event.type) {
      case "build":
        this.#header.push(this.describeBuild(event));
        this.#timer = setInterval(() => this.#draw(), 100);
        break;
      case "lint":
        this.#header.push(...this.describeLint(event));
        break;
      case "queued":
        this.#state = `queued (position ${event.position})`;
        break;
      case "started":
        this.#state = "building";
        break;
      case "step":
        this.track(event.platform, event.step);
        break;
      case "log": {
        const tracked = this.steps.get(`${event.platform}\n${event.digest}`);
        if (tracked) {
          tracked.logs.push(...event.text.replace(/\n$/, "").split("\n"));
          if (tracked.logs.length > 6) tracked.logs.splice(0, tracked.logs.length - 6);
        }
        break;
      }
      case "warning":
        this.#header.push(`WARNING: ${event.message}`);
        break;
      case "error":
        this.#draw();
        this.output.err(`error: ${event.kind}: ${event.message}\n`);
        this.#drawn = 0;
        break;
      default:
        break;
    }
  }

  #lines(): string[] {
    const width = Math.max(40, this.columns());
    const fit = (line: string) => (line.length > width - 1 ? `${line.slice(0, width - 2)}…` : line);
    const all = [...this.steps.values()];
    const done = all.filter((t) => t.step.completedAt).length;
    const elapsed = formatDuration(Date.now() - this.#started);
    const lines = [`[+] Building ${elapsed} (${done}/${all.length}) ${this.#state}`];
    for (const t of all) {
      const p = this.prefix(t.platform);
      const s = t.step;
      let time: string;
      if (s.error) time = "ERROR";
      else if (s.cached && s.completedAt) time = "CACHED";
      else if (s.completedAt) time = formatDuration(s.durationMs ?? 0);
      else if (s.startedAt) time = formatDuration(Date.now() - Date.parse(s.startedAt));
      else time = "";
      const name = `${p}${s.name}`;
      const pad = Math.max(1, width - 6 - name.length - time.length);
      lines.push(fit(` => ${name}${" ".repeat(pad)}${time}`));
      if (s.startedAt && !s.completedAt) {
        for (const log of t.logs.slice(-3)) lines.push(fit(` => => # ${log}`));
      }
    }
    return lines;
  }

  #draw(): void {
    const lines = this.#lines();
    let text = this.#drawn > 0 ? `\x1b[${this.#drawn}F\x1b[J` : "";
    text += this.#header.map((line) => `${line}\n`).join("");
    this.#header = [];
    text += lines.map((line) => `${line}\n`).join("");
    this.output.out(text);
    this.#drawn = lines.length;
  }

  override finish(): void {
    if (this.#timer) clearInterval(this.#timer);
    if (this.#timer) this.#draw();
    super.finish();
  }
}

export type ProgressMode = "auto" | "plain" | "json" | "tty";

export function createRenderer(mode: ProgressMode, output: Output, isTty: boolean): Renderer {
  if (mode === "json") return new JsonRenderer(output);
  if (mode === "tty" || (mode === "auto" && isTty)) return new TtyRenderer(output);
  return new PlainRenderer(output);
}

export type { Renderer };
