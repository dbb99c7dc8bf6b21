import type { BkModel } from "../buildkit/model.ts";
import type { Dockerfile, Instruction } from "../parser/types.ts";

export type Severity = "error" | "warning" | "info" | "style" | "ignore";

export type LabelType = "email" | "hash" | "text" | "rfc3339" | "semver" | "spdx" | "url";

/** Settings some rules read (hadolint's trusted registries and label schema). */
export interface RuleSettings {
  trustedRegistries: string[];
  labelSchema: Record<string, LabelType>;
  strictLabels: boolean;
}

export interface RuleContext {
  doc: Dockerfile;
  /** Top-level instructions, comments included. */
  instructions: Instruction[];
  settings: RuleSettings;
  /** Contents of the build context's `.dockerignore`: `null` if there is none, `undefined` if unknown. */
  dockerignore: string | null | undefined;
  /** Some comment mentions "hadolint" (could be a pragma); set by `lint`. */
  pragmaComments?: boolean;
  /** The instructions without comments and directives (filled on first use, see `codeInstructions`). */
  code?: Instruction[];
  /** Non-comment instructions by keyword (filled on first use, see `instructionsOf`). */
  byKeyword?: Map<string, Instruction[]>;
  /** The ONBUILD-triggered instructions (filled on first use, see `onbuildOf`). */
  onbuild?: Instruction[];
  /** The BuildKit model of the document (filled on first use by the BuildKit checks). */
  buildkit?: BkModel;
  /** Names of the commands of every RUN, wrappers unwrapped too (filled on first use). */
  commandNames?: Set<string>;
  /** ENV of external base images by FROM name (`KEY=value` strings), for the BuildKit checks. */
  baseImageEnv?: Record<string, string[]> | undefined;
}

export interface RuleFinding {
  line: number;
  column?: number;
  /** Overrides the rule's message (rules with parameterised messages). */
  message?: string;
}

export interface Rule {
  code: string;
  /** Where the rule comes from. */
  source: "hadolint" | "slipway" | "buildkit";
  severity: Severity;
  message: string;
  explanation: string;
  examples: { bad: string; good: string };
  /** How to fix, for Slipway rules. */
  fix?: string;
  /** Reference documentation (BuildKit checks). */
  url?: string;
  /**
   * Shell commands (names, or a test on names) of which at least one must occur in a RUN (or
   * ONBUILD RUN) for the rule to find anything. The lint loop skips the rule when none occurs;
   * this must never change what the rule reports.
   */
  requires?: readonly string[] | ((name: string) => boolean);
  check(ctx: RuleContext): RuleFinding[];
}
