/** Public API of @slipway/lint. */

export { main as runCli } from "./cli.ts";
export {
  type CliConfig,
  type ConfigFile,
  configFromFile,
  type LintOptions,
  type LintOptionsInput,
  lintOptionsSchema,
  parseConfigFile,
} from "./config.ts";
export { type FileResult, type FormatName, formatResults, formatters } from "./formatters/index.ts";
export { type Finding, type Level, lint, lintDetailed, SEVERITY_RANK } from "./lint.ts";
export { parseDockerfile as parse } from "./parser/dockerfile.ts";
export { clearShellCache, parseShell } from "./parser/shell.ts";
export type { Dockerfile, Instruction } from "./parser/types.ts";
export { buildkitRules, hadolintRules, rules, slipwayRules } from "./rules/index.ts";
export type { Rule, Severity } from "./rules/types.ts";
