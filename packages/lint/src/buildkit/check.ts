/**
 * BuildKit's check configuration: the `# check=skip=A,B;error=true` parser directive (or the
 * `BUILDKIT_DOCKERFILE_CHECK` build argument) for the whole file, and the same syntax in the
 * comments right above one instruction, which only applies to the checks BuildKit runs for that
 * instruction.
 */

export interface CheckConfig {
  skipAll: boolean;
  skip: Set<string>;
  error: boolean;
}

export const EMPTY_CHECK_CONFIG: CheckConfig = { skipAll: false, skip: new Set(), error: false };

const GO_TRUE = new Set(["1", "t", "T", "TRUE", "true", "True"]);
const GO_FALSE = new Set(["0", "f", "F", "FALSE", "false", "False"]);

/** BuildKit's ParseLintOptions; null when BuildKit would reject the options. */
export function parseCheckOptions(value: string): CheckConfig | null {
  const s = value.trim();
  const cfg: CheckConfig = { skipAll: false, skip: new Set(), error: false };
  if (!s) return cfg;
  // Go's strings.SplitN(s, ";", 3): the third part keeps any further ';'.
  const parts: string[] = [];
  let rest = s;
  while (parts.length < 2) {
    const i = rest.indexOf(";");
    if (i < 0) break;
    parts.push(rest.slice(0, i));
    rest = rest.slice(i + 1);
  }
  parts.push(rest);
  for (const p of parts) {
    const eq = p.indexOf("=");
    if (eq < 0) return null;
    const k = p.slice(0, eq).trim();
    const v = p.slice(eq + 1).trim();
    if (k === "skip") {
      if (v === "all") cfg.skipAll = true;
      else for (const r of v.split(",")) cfg.skip.add(r.trim());
    } else if (k === "error") {
      if (GO_TRUE.has(v)) cfg.error = true;
      else if (GO_FALSE.has(v)) cfg.error = false;
      else return null;
    } else if (k !== "experimental") return null;
  }
  return cfg;
}

const DIRECTIVE = /^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;
const DIRECTIVE_NAMES = new Set(["syntax", "escape", "check"]);

/** The check options of the first `check=` comment among an instruction's preceding comments. */
export function checkConfigFromComments(comments: readonly string[]): CheckConfig | null {
  for (const c of comments) {
    if (!c.includes("=")) continue;
    const m = DIRECTIVE.exec(c.trimStart());
    if (!m) continue;
    const name = (m[1] as string).toLowerCase();
    if (!DIRECTIVE_NAMES.has(name) || name !== "check") continue;
    const value = m[2] as string;
    const sp = value.indexOf(" ");
    return parseCheckOptions(sp < 0 ? value : value.slice(0, sp));
  }
  return null;
}

/** True when `cfg` turns the check `name` off. */
export function skips(cfg: CheckConfig | null, name: string): boolean {
  return cfg !== null && (cfg.skipAll || cfg.skip.has(name));
}
