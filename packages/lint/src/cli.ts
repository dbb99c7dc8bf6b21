/** `slipway-lint`: hadolint-compatible command line. */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { type CliConfig, configFromFile, parseConfigFile } from "./config.ts";
import { type FileResult, type FormatName, formatters } from "./formatters/index.ts";
import { lint, SEVERITY_RANK } from "./lint.ts";
import type { LabelType, Severity } from "./rules/types.ts";

const help = (
  name: string,
) => `${name} - Dockerfile linter (hadolint rules, BuildKit checks, Slipway build-speed rules)

Usage: ${name} [OPTIONS] DOCKERFILE... ('-' reads stdin)

Options:
  -f, --format FORMAT        tty | json | sarif | checkstyle | gitlab_codeclimate | codeclimate (default: tty)
  -c, --config FILE          configuration file (default: ./.hadolint.yaml, ./.hadolint.yml, ~/.config/hadolint.yaml)
  -t, --failure-threshold L  error | warning | info | style | ignore | none (default: info)
      --ignore CODE          ignore a rule (repeatable)
      --error CODE           report a rule as error (repeatable); also --warning, --info, --style
      --trusted-registry R   allowed registry for DL3026 (repeatable)
      --require-label L:T    label schema entry, T in email|hash|text|rfc3339|semver|spdx|url (repeatable)
      --strict-labels        no labels outside the schema (DL3050)
      --disable-ignore-pragma  ignore '# hadolint ignore=' comments
      --hadolint-compat      report hadolint's DL codes only (output diffable with hadolint)
      --check OPTIONS        BuildKit check options, e.g. 'skip=UndefinedVar;error=true'
                             (replaces the Dockerfile's '# check=' directive)
      --context DIR          build context, for .dockerignore (default: the Dockerfile's directory)
      --no-fail              always exit 0
      --no-color             no colours in tty output
  -h, --help                 show this help
  -v, --version              show the version
`;

function findConfig(explicit: string | undefined): string | null {
  if (explicit) return explicit;
  const candidates = [".hadolint.yaml", ".hadolint.yml"].map((n) => join(process.cwd(), n));
  const xdg = process.env.XDG_CONFIG_HOME ?? join(homedir(), ".config");
  candidates.push(join(xdg, "hadolint.yaml"), join(xdg, "hadolint.yml"));
  return candidates.find((p) => existsSync(p)) ?? null;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks).toString("utf8");
}

/** The `.dockerignore` BuildKit would use: `<Dockerfile>.dockerignore`, else the context's. */
function readDockerignore(
  file: string | null,
  context: string | undefined,
): string | null | undefined {
  const candidates: string[] = [];
  if (file) candidates.push(`${file}.dockerignore`);
  if (context !== undefined) candidates.push(join(context, ".dockerignore"));
  else if (file) candidates.push(join(dirname(file), ".dockerignore"));
  else return undefined;
  for (const c of candidates) if (existsSync(c)) return readFileSync(c, "utf8");
  return null;
}

/**
 * Runs the command line (`argv` without the program name) and returns the exit code: 0, 1 when a
 * finding is at or above the failure threshold (or a file cannot be read), 2 on usage errors.
 * `name` is the program name shown in messages (`slipway lint` reuses this).
 */
export async function main(argv: string[], name = "slipway-lint"): Promise<number> {
  const HELP = help(name);
  let parsed: ReturnType<typeof parse>;
  function parse() {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: "string", short: "f" },
        config: { type: "string", short: "c" },
        "failure-threshold": { type: "string", short: "t" },
        ignore: { type: "string", multiple: true },
        error: { type: "string", multiple: true },
        warning: { type: "string", multiple: true },
        info: { type: "string", multiple: true },
        style: { type: "string", multiple: true },
        "trusted-registry": { type: "string", multiple: true },
        "require-label": { type: "string", multiple: true },
        "strict-labels": { type: "boolean" },
        "disable-ignore-pragma": { type: "boolean" },
        "hadolint-compat": { type: "boolean" },
        check: { type: "string" },
        context: { type: "string" },
        "no-fail": { type: "boolean" },
        "no-color": { type: "boolean" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
      },
    });
  }
  try {
    parsed = parse();
  } catch (e) {
    process.stderr.write(`${name}: ${e instanceof Error ? e.message : String(e)}\n\n${HELP}`);
    return 2;
  }
  const v = parsed.values;
  if (v.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (v.version) {
    process.stdout.write(`${name} 0.1.0\n`);
    return 0;
  }
  if (!parsed.positionals.length) {
    process.stderr.write(`${name}: no Dockerfile given\n\n${HELP}`);
    return 2;
  }
  let cfg: CliConfig;
  try {
    const path = findConfig(v.config);
    cfg = configFromFile(path ? parseConfigFile(readFileSync(path, "utf8")) : {});
  } catch (e) {
    process.stderr.write(
      `${name}: invalid configuration: ${e instanceof Error ? e.message : String(e)}\n`,
    );
    return 2;
  }
  const o = cfg.lint;
  o.ignored.push(...(v.ignore ?? []));
  for (const level of ["error", "warning", "info", "style"] as const) {
    const list = v[level];
    if (list) o.override[level] = [...(o.override[level] ?? []), ...list];
  }
  o.trustedRegistries.push(...(v["trusted-registry"] ?? []));
  for (const spec of v["require-label"] ?? []) {
    const [name, type = "text"] = spec.split(":");
    if (name) o.labelSchema[name] = (type || "text") as LabelType;
  }
  if (v["strict-labels"]) o.strictLabels = true;
  if (v["disable-ignore-pragma"]) o.disableIgnorePragma = true;
  if (v["hadolint-compat"]) o.sources = ["hadolint"];
  if (v.check !== undefined) o.check = v.check;
  const threshold = (v["failure-threshold"] ?? cfg.failureThreshold) as Severity | "none";
  if (!(threshold in SEVERITY_RANK) && threshold !== "none") {
    process.stderr.write(`${name}: invalid failure threshold: ${threshold}\n`);
    return 2;
  }
  const format = (v.format ?? cfg.format ?? "tty") as FormatName;
  if (!(format in formatters)) {
    process.stderr.write(`${name}: unknown format: ${format}\n`);
    return 2;
  }
  const results: FileResult[] = [];
  let readError = false;
  for (const file of parsed.positionals) {
    let text: string;
    let dockerignore: string | null | undefined;
    try {
      if (file === "-") {
        text = await readStdin();
        dockerignore = readDockerignore(null, v.context);
      } else {
        text = readFileSync(file, "utf8");
        dockerignore = readDockerignore(file, v.context);
      }
    } catch (e) {
      process.stderr.write(`${name}: ${file}: ${e instanceof Error ? e.message : String(e)}\n`);
      readError = true;
      continue;
    }
    results.push({ file, findings: lint(text, { ...o, dockerignore }) });
  }
  const color = format === "tty" && !v["no-color"] && !cfg.noColor && process.stdout.isTTY === true;
  process.stdout.write(formatters[format](results, { color }));
  if (format !== "tty") process.stdout.write("\n");
  if (readError) return 1;
  if (v["no-fail"] || cfg.noFail || threshold === "none" || threshold === "ignore") return 0;
  const limit = SEVERITY_RANK[threshold];
  const failing = results.some((r) => r.findings.some((f) => SEVERITY_RANK[f.level] <= limit));
  return failing ? 1 : 0;
}
