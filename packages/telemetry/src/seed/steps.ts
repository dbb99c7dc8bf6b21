/**
 * Turns a build summary into the BuildKit vertices it would have had: a multi-stage Dockerfile
 * shaped to the build's step count, stages running in parallel, cached steps taking 0 ms, all
 * timings inside the build's start/finish.
 */

import type { Instruction, Template } from "./dockerfiles.ts";
import { HADOLINT_RULES, type HadolintCode } from "./hadolint.ts";
import { type Rng, stableDigest } from "./random.ts";

export type SeedBuildStatus = "queued" | "running" | "succeeded" | "failed" | "canceled";

export interface SeedBuild {
  id: string;
  orgId: string;
  projectId: string;
  number: number;
  platforms: string[];
  status: SeedBuildStatus;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  stepCount: number;
  cachedStepCount: number;
}

export interface PlannedStep {
  key: string;
  digest: string;
  name: string;
  stage: string | null;
  platform: string | null;
  dockerfileLine: number | null;
  startedAt: Date | null;
  completedAt: Date | null;
  cached: boolean;
  error: string | null;
  inputs: string[];
}

interface FileLine {
  stage: string;
  ins: Instruction;
  line: number;
}

export interface ShapedFile {
  text: string[];
  stages: { name: string; image: string; fromLine: number; steps: FileLine[] }[];
}

/** The template's Dockerfile with exactly `wanted` vertex-making instructions (when possible). */
export function shapeDockerfile(template: Template, wanted: number): ShapedFile {
  const stages = template.stages.map((s) => ({ ...s, lines: [...s.lines] }));
  const vertexLines = () =>
    stages.flatMap((s, si) =>
      s.lines.flatMap((ins, li) => (ins.w === undefined ? [] : [{ si, li, ins }])),
    );
  let current = vertexLines();
  if (wanted < current.length) {
    // Drop the highest `keep` ranks first; among equals, later lines first.
    const order = current
      .map((v, idx) => ({ ...v, idx }))
      .sort((a, b) => (b.ins.keep ?? 9) - (a.ins.keep ?? 9) || b.idx - a.idx);
    const drop = new Set(order.slice(0, current.length - Math.max(0, wanted)).map((v) => v.ins));
    for (const s of stages) s.lines = s.lines.filter((ins) => !drop.has(ins));
  } else {
    for (let i = 0; current.length < wanted; i++) {
      const [stageName, ins] = template.extras(i);
      const stage = stages.find((s) => s.name === stageName) ?? stages[0];
      if (!stage) break;
      let at = stage.lines.length;
      while (at > 0 && stage.lines[at - 1]?.w === undefined) at--;
      stage.lines.splice(at, 0, { ...ins });
      current = vertexLines();
    }
  }
  const text = ["# syntax=docker/dockerfile:1", ""];
  const shaped: ShapedFile["stages"] = [];
  for (const s of stages) {
    if (text.length > 2) text.push("");
    text.push(`FROM ${s.image} AS ${s.name}`);
    const fromLine = text.length;
    const steps: FileLine[] = [];
    for (const ins of s.lines) {
      text.push(ins.text);
      steps.push({ stage: s.name, ins, line: text.length });
    }
    shaped.push({ name: s.name, image: s.image, fromLine, steps });
  }
  return { text, stages: shaped };
}

/** hadolint findings for a shaped Dockerfile (every line containing a rule's match). */
export function findingsFor(template: Template, file: ShapedFile) {
  const out: { code: HadolintCode; level: string; message: string; line: number }[] = [];
  for (const f of template.findings) {
    file.text.forEach((text, i) => {
      if (text.includes(f.match))
        out.push({ code: f.code, ...HADOLINT_RULES[f.code], line: i + 1 });
    });
  }
  return out.sort((a, b) => a.line - b.line || a.code.localeCompare(b.code));
}

interface Vertex {
  key: string;
  name: string;
  stage: string | null;
  platform: string | null;
  line: number | null;
  w: number;
  deps: string[];
  kind: "internal" | "meta" | "from" | "step" | "export";
  depth: number;
  run: string | null;
}

const EXTRA_SHARED = [
  "[internal] settings cache mount permissions",
  "preparing layers for inline cache",
  "exporting cache to client directory",
  "[internal] load git source",
];

function imageDigest(image: string): string {
  return stableDigest(`image:${image}`);
}

function platformsOf(build: SeedBuild): string[] {
  return build.platforms.length > 0 ? build.platforms : ["linux/amd64"];
}

/**
 * The Dockerfile a build ran: per platform it has a metadata load and a FROM per image plus one
 * vertex per instruction; the build definition, .dockerignore, context and export are shared.
 */
export function dockerfileForBuild(build: SeedBuild, template: Template): ShapedFile {
  const images = new Set(template.stages.map((s) => s.image));
  const perPlatform = Math.max(1, Math.floor((build.stepCount - 4) / platformsOf(build).length));
  return shapeDockerfile(template, Math.max(0, perPlatform - 2 * images.size));
}

function buildVertices(build: SeedBuild, template: Template, rng: Rng): Vertex[] {
  const platforms = platformsOf(build);
  const multi = platforms.length > 1;
  const N = build.stepCount;
  const images = new Set(template.stages.map((s) => s.image));
  const file = dockerfileForBuild(build, template);

  const vs: Vertex[] = [];
  const add = (v: Omit<Vertex, "depth"> & { depth?: number }) => {
    const full = { depth: 0, ...v };
    vs.push(full);
    return full;
  };
  add({
    key: "def",
    name: "[internal] load build definition from Dockerfile",
    stage: null,
    platform: null,
    line: null,
    w: 0.6,
    deps: [],
    kind: "internal",
    run: null,
  });
  add({
    key: "ignore",
    name: "[internal] load .dockerignore",
    stage: null,
    platform: null,
    line: null,
    w: 0.4,
    deps: ["def"],
    kind: "internal",
    run: null,
  });
  add({
    key: "ctx",
    name: "[internal] load build context",
    stage: null,
    platform: null,
    line: null,
    w: rng.around(12, 0.5),
    deps: ["ignore"],
    kind: "internal",
    run: null,
  });

  platforms.forEach((platform, pi) => {
    const prefix = multi ? `${platform} ` : "";
    const emulated = multi && pi > 0 && platform.includes("arm");
    const fromKeys = new Map<string, string>();
    for (const image of images) {
      add({
        key: `${pi}:meta:${image}`,
        name: `[${prefix}internal] load metadata for ${image}`,
        stage: null,
        platform: multi ? platform : null,
        line: null,
        w: rng.around(9, 0.4),
        deps: ["def"],
        kind: "meta",
        run: null,
      });
    }
    const lastOfStage = new Map<string, string>();
    for (const stage of file.stages) {
      const total = 1 + stage.steps.filter((s) => s.ins.w !== undefined).length;
      let prev = fromKeys.get(stage.image);
      if (!prev) {
        prev = `${pi}:from:${stage.name}`;
        add({
          key: prev,
          name: `[${prefix}${stage.name} 1/${total}] FROM ${stage.image}@${imageDigest(stage.image)}`,
          stage: stage.name,
          platform: multi ? platform : null,
          line: stage.fromLine,
          w: rng.around(70, 0.5),
          deps: [`${pi}:meta:${stage.image}`],
          kind: "from",
          run: null,
        });
        fromKeys.set(stage.image, prev);
      }
      let n = 1;
      for (const step of stage.steps) {
        if (step.ins.w === undefined) continue;
        n++;
        const deps = [prev];
        if (step.ins.context) deps.push("ctx");
        const dep = step.ins.from ? lastOfStage.get(step.ins.from) : undefined;
        if (dep) deps.push(dep);
        const isRun = step.ins.text.startsWith("RUN ");
        const slow = emulated && isRun ? rng.range(1.8, 2.8) : 1;
        const key = `${pi}:${stage.name}:${n}`;
        add({
          key,
          name: `[${prefix}${stage.name} ${n}/${total}] ${step.ins.text}`,
          stage: stage.name,
          platform: multi ? platform : null,
          line: step.line,
          w: step.ins.w * slow * rng.around(1, 0.2),
          deps,
          kind: "step",
          depth: n - 1,
          run: isRun ? step.ins.text.slice(4) : null,
        });
        prev = key;
      }
      lastOfStage.set(stage.name, prev);
    }
  });
  add({
    key: "export",
    name: "exporting to image",
    stage: null,
    platform: null,
    line: null,
    w: rng.around(45, 0.4) * platforms.length,
    deps: [],
    kind: "export",
    run: null,
  });

  // Make the count exact: trim the least telling vertices, or add more internal ones.
  const dropOrder = (v: Vertex) =>
    v.kind === "internal" && v.key !== "def"
      ? 0
      : v.kind === "step"
        ? 1
        : v.kind === "meta"
          ? 2
          : 3;
  while (vs.length > N) {
    const victim =
      [...vs]
        .reverse()
        .filter((v) => v.key !== "export" && v.key !== "def")
        .sort((a, b) => dropOrder(a) - dropOrder(b))[0] ?? vs[vs.length - 1];
    if (!victim) break;
    vs.splice(vs.indexOf(victim), 1);
    for (const v of vs) v.deps = v.deps.flatMap((d) => (d === victim.key ? victim.deps : [d]));
  }
  for (let i = 0; vs.length < N; i++) {
    const name = EXTRA_SHARED[i % EXTRA_SHARED.length] ?? "[internal] load build context";
    const suffix = i >= EXTRA_SHARED.length ? ` #${Math.floor(i / EXTRA_SHARED.length) + 1}` : "";
    vs.splice(1, 0, {
      key: `extra:${i}`,
      name: `${name}${suffix}`,
      stage: null,
      platform: null,
      line: null,
      w: rng.around(3, 0.5),
      deps: ["def"].filter((d) => vs.some((v) => v.key === d)),
      kind: "internal",
      depth: 0,
      run: null,
    });
  }
  // The export waits for everything nothing else waits for (the final stage of each platform).
  const exportVertex = vs.find((v) => v.kind === "export");
  if (exportVertex) {
    const needed = new Set(vs.flatMap((v) => v.deps));
    exportVertex.deps = vs
      .filter((v) => v !== exportVertex && v.kind !== "internal" && !needed.has(v.key))
      .map((v) => v.key);
  }
  return vs;
}

function exitCode(cmd: string): number {
  return cmd.startsWith("apt-get") ? 100 : 1;
}

/**
 * The steps of one build. Queued builds, and builds canceled before they started, have none.
 * `now` bounds a running build.
 */
export function planBuildSteps(
  build: SeedBuild,
  template: Template,
  rng: Rng,
  now: Date,
): PlannedStep[] {
  if (!build.startedAt || build.stepCount <= 0) return [];
  const vs = buildVertices(build, template, rng);
  const byKey = new Map(vs.map((v) => [v.key, v]));

  // Cache hits follow the stage chains: the first steps of each stage are the ones that hit.
  const cacheOrder = [
    ...vs.filter((v) => v.kind === "from" || v.kind === "step").sort((a, b) => a.depth - b.depth),
    ...vs.filter((v) => v.kind === "meta" || v.kind === "internal"),
    ...vs.filter((v) => v.kind === "export"),
  ];
  const cached = new Set(cacheOrder.slice(0, build.cachedStepCount).map((v) => v.key));

  const start = new Map<string, number>();
  const end = new Map<string, number>();
  for (const v of vs) {
    const s = Math.max(0, ...v.deps.map((d) => end.get(d) ?? 0)) + (cached.has(v.key) ? 0 : 0.05);
    start.set(v.key, s);
    end.set(v.key, s + (cached.has(v.key) ? 0 : v.w));
  }
  const total = Math.max(0, ...end.values());

  let cut = total;
  let failing: Vertex | undefined;
  if (build.status === "failed") {
    // The longest command fails (tests and compiles are what break), else the export.
    failing =
      vs.filter((v) => v.run !== null && !cached.has(v.key)).sort((a, b) => b.w - a.w)[0] ??
      vs.find((v) => v.kind === "export");
    cut = failing ? (end.get(failing.key) ?? total) : total;
  } else if (build.status === "canceled" || build.status === "running") {
    cut = total * rng.range(0.35, 0.9);
  }

  const t0 = build.startedAt.getTime();
  const t1 = (build.finishedAt ?? now).getTime();
  const scale = cut > 0 ? Math.max(0, t1 - t0) / cut : 0;
  const at = (units: number) => new Date(t0 + Math.round(Math.min(units, cut) * scale));
  const interrupted = build.status === "failed" || build.status === "canceled";

  const digests = new Map<string, string>();
  for (const v of vs) {
    const stable = cached.has(v.key) || v.kind === "from" || v.kind === "meta";
    digests.set(
      v.key,
      stableDigest(stable ? `${build.projectId}:${v.platform}:${v.name}` : `${build.id}:${v.key}`),
    );
  }

  return vs.map((v) => {
    const s = start.get(v.key) ?? 0;
    const e = end.get(v.key) ?? 0;
    let startedAt: Date | null = at(s);
    let completedAt: Date | null = at(e);
    let error: string | null = null;
    if (v === failing) {
      error = v.run
        ? `process "/bin/sh -c ${v.run}" did not complete successfully: exit code: ${exitCode(v.run)}`
        : "failed to export image: failed to create image: failed to get layer: layer does not exist";
    } else if (s >= cut && !(s === cut && e === cut)) {
      startedAt = null;
      completedAt = null;
    } else if (e > cut) {
      completedAt = interrupted ? at(cut) : null;
      error = interrupted ? "context canceled" : null;
    }
    return {
      key: v.key,
      digest: digests.get(v.key) ?? stableDigest(v.key),
      name: v.name,
      stage: v.stage,
      platform: v.platform,
      dockerfileLine: v.line,
      startedAt,
      completedAt,
      cached: cached.has(v.key),
      error,
      inputs: v.deps.flatMap((d) => (byKey.has(d) ? [digests.get(d) ?? ""] : [])).filter(Boolean),
    };
  });
}
