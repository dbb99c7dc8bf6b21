/**
 * Demo output for the seeded RUN steps that ran (cached steps print nothing), so a step's detail
 * in the demo shows logs the way a real build's does: a few lines that fit the command, spread
 * over the step's time, and the error on stderr when the step failed.
 */
import type { StepLogEntry } from "../events/build.ts";
import type { Rng } from "./random.ts";
import type { PlannedStep } from "./steps.ts";

type Lines = (rng: Rng) => string[];

const OUTPUT: [RegExp, Lines][] = [
  [
    /npm ci|npm install/,
    (rng) => [
      "npm warn deprecated inflight@1.0.6: This module is not supported, and leaks memory.",
      `added ${rng.int(600, 1_400)} packages, and audited ${rng.int(1_401, 1_500)} packages in ${rng.int(12, 55)}s`,
      `${rng.int(90, 240)} packages are looking for funding`,
      "found 0 vulnerabilities",
    ],
  ],
  [
    /npm run build/,
    (rng) => [
      "> web@1.0.0 build",
      "> vite build",
      "vite v6.0.7 building for production...",
      `✓ ${rng.int(900, 2_400)} modules transformed.`,
      `dist/assets/index.js   ${rng.int(300, 900)}.${rng.int(10, 99)} kB │ gzip: ${rng.int(90, 280)}.${rng.int(10, 99)} kB`,
      `✓ built in ${rng.int(8, 40)}.${rng.int(10, 99)}s`,
    ],
  ],
  [/npm (run lint|test)|npx/, (rng) => [`${rng.int(40, 400)} checks passed`, "done"]],
  [
    /apt-get/,
    (rng) => [
      "Reading package lists...",
      "Building dependency tree...",
      `${rng.int(20, 90)} newly installed, 0 to remove and 0 not upgraded.`,
      `Need to get ${rng.int(20, 90)}.${rng.int(1, 9)} MB of archives.`,
      "Setting up ca-certificates (20230311) ...",
      "Processing triggers for libc-bin (2.36-9+deb12u9) ...",
    ],
  ],
  [/apk add/, (rng) => [`OK: ${rng.int(8, 30)} MiB in ${rng.int(15, 40)} packages`]],
  [/go mod download/, () => []],
  [/go (build|vet)/, (rng) => [`go: downloading ${rng.int(20, 80)} modules`, "build finished"]],
  [
    /go test/,
    (rng) => [
      `ok  \tapi/internal/orders\t${rng.int(1, 9)}.${rng.int(100, 999)}s`,
      `ok  \tapi/internal/billing\t${rng.int(1, 9)}.${rng.int(100, 999)}s`,
      "?   \tapi/cmd/api\t[no test files]",
    ],
  ],
  [
    /pip install|poetry/,
    (rng) => [
      `Collecting ${rng.int(20, 60)} packages`,
      `Successfully installed ${rng.int(20, 60)} packages`,
    ],
  ],
  [/pytest/, (rng) => [`${rng.int(120, 480)} passed in ${rng.int(4, 40)}.${rng.int(10, 99)}s`]],
];

/** What a seeded step printed, or nothing for steps that did not run a command. */
export function seedStepLogs(step: PlannedStep, rng: Rng): StepLogEntry[] {
  if (step.cached || !step.startedAt || !/\bRUN\b/.test(step.name)) return [];
  const lines = OUTPUT.find(([pattern]) => pattern.test(step.name))?.[1](rng) ?? [];
  const out: StepLogEntry[] = [];
  const start = step.startedAt.getTime();
  const span = Math.max(0, (step.completedAt?.getTime() ?? start) - start);
  const at = (i: number, of: number) => new Date(start + Math.round((span * (i + 1)) / (of + 1)));
  const shown = step.error ? lines.slice(0, Math.ceil(lines.length / 2)) : lines;
  shown.forEach((text, i) => {
    out.push({ at: at(i, shown.length + 1).toISOString(), stream: "stdout", text: `${text}\n` });
  });
  if (step.error && step.error !== "context canceled") {
    out.push({
      at: at(shown.length, shown.length + 1).toISOString(),
      stream: "stderr",
      text: `${step.error}\n`,
    });
  }
  return out;
}
