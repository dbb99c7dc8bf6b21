/** Configuration: hadolint-compatible options (`.hadolint.yaml` keys and CLI flags). */
import { parse as parseYaml } from "yaml";
import { z } from "zod";

export const severitySchema = z.enum(["error", "warning", "info", "style", "ignore", "none"]);
export const labelTypeSchema = z.enum([
  "email",
  "hash",
  "text",
  "rfc3339",
  "semver",
  "spdx",
  "url",
  "",
]);

const codeList = z.array(z.string()).default([]);

/** Options accepted by `lint()` (camelCase). */
export const lintOptionsSchema = z.object({
  ignored: codeList,
  override: z
    .object({ error: codeList, warning: codeList, info: codeList, style: codeList })
    .partial()
    .default({}),
  trustedRegistries: z.array(z.string()).default([]),
  labelSchema: z.record(z.string(), labelTypeSchema).default({}),
  strictLabels: z.boolean().default(false),
  disableIgnorePragma: z.boolean().default(false),
  /** Run only rules from these sources. Default: all. */
  sources: z.array(z.enum(["hadolint", "slipway", "buildkit"])).optional(),
  /** `.dockerignore` contents: null when the context has none, undefined when unknown. */
  dockerignore: z.string().nullable().optional(),
  /**
   * BuildKit check options (`skip=A,B;error=true`), like the `BUILDKIT_DOCKERFILE_CHECK` build
   * argument: when set, the file's `# check=` directive is not read.
   */
  check: z.string().optional(),
  /** ENV (`KEY=value` strings) of external base images, by the name used in FROM (UndefinedVar). */
  baseImageEnv: z.record(z.string(), z.array(z.string())).optional(),
});

export type LintOptionsInput = z.input<typeof lintOptionsSchema>;
export type LintOptions = z.output<typeof lintOptionsSchema>;

/** `.hadolint.yaml` as written (kebab-case keys, like hadolint). */
export const configFileSchema = z
  .object({
    ignored: z.array(z.string()).optional(),
    override: z
      .object({
        error: z.array(z.string()).optional(),
        warning: z.array(z.string()).optional(),
        info: z.array(z.string()).optional(),
        style: z.array(z.string()).optional(),
      })
      .optional(),
    trustedRegistries: z.array(z.string()).optional(),
    "trusted-registries": z.array(z.string()).optional(),
    "failure-threshold": severitySchema.optional(),
    "label-schema": z.record(z.string(), labelTypeSchema).optional(),
    "strict-labels": z.boolean().optional(),
    "no-fail": z.boolean().optional(),
    "no-color": z.boolean().optional(),
    "disable-ignore-pragma": z.boolean().optional(),
    format: z.string().optional(),
    verbose: z.boolean().optional(),
    /** Report hadolint's DL codes only (no BuildKit checks, no Slipway rules). */
    "hadolint-compat": z.boolean().optional(),
  })
  .loose();

export type ConfigFile = z.infer<typeof configFileSchema>;

export interface CliConfig {
  lint: LintOptions;
  failureThreshold: z.infer<typeof severitySchema>;
  noFail: boolean;
  noColor: boolean;
  format: string | undefined;
}

export function parseConfigFile(text: string): ConfigFile {
  const raw: unknown = parseYaml(text) ?? {};
  return configFileSchema.parse(raw);
}

export function configFromFile(file: ConfigFile): CliConfig {
  const labelSchema: Record<string, z.infer<typeof labelTypeSchema>> = {};
  for (const [k, v] of Object.entries(file["label-schema"] ?? {})) labelSchema[k] = v;
  return {
    lint: lintOptionsSchema.parse({
      ignored: file.ignored ?? [],
      override: file.override ?? {},
      trustedRegistries: file.trustedRegistries ?? file["trusted-registries"] ?? [],
      labelSchema,
      strictLabels: file["strict-labels"] ?? false,
      disableIgnorePragma: file["disable-ignore-pragma"] ?? false,
      ...(file["hadolint-compat"] ? { sources: ["hadolint"] } : {}),
    }),
    failureThreshold: file["failure-threshold"] ?? "info",
    noFail: file["no-fail"] ?? false,
    noColor: file["no-color"] ?? false,
    format: file.format,
  };
}
