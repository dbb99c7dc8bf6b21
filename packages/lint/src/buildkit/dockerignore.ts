/**
 * `.dockerignore` matching as BuildKit does it for the CopyIgnoredFile check (moby/patternmatcher's
 * ignorefile.ReadAll + MatchesOrParentMatches).
 */

export interface IgnorePattern {
  pattern: string;
  exclusion: boolean;
  match: (path: string) => boolean;
}

/** Go's path.Clean for slash-separated paths. */
export function cleanPath(p: string): string {
  if (p === "") return ".";
  const rooted = p.startsWith("/");
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length && out[out.length - 1] !== "..") out.pop();
      else if (!rooted) out.push("..");
      continue;
    }
    out.push(part);
  }
  const s = out.join("/");
  if (rooted) return `/${s}`;
  return s || ".";
}

const REGEX_SPECIAL = new Set([".", "+", "(", ")", "|", "{", "}", "$"]);

function compile(pattern: string): (path: string) => boolean {
  let re = "^";
  let type: "exact" | "prefix" | "suffix" | "regexp" = "exact";
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    if (ch === "*") {
      if (chars[i + 1] === "*") {
        const atStart = i === 0;
        i++;
        if (chars[i + 1] === "/") i++;
        if (i + 1 >= chars.length) {
          if (type === "exact") type = "prefix";
          else {
            re += ".*";
            type = "regexp";
          }
        } else {
          re += "(.*/)?";
          type = "regexp";
        }
        if (atStart) type = "suffix";
      } else {
        re += "[^/]*";
        type = "regexp";
      }
    } else if (ch === "?") {
      re += "[^/]";
      type = "regexp";
    } else if (REGEX_SPECIAL.has(ch)) re += `\\${ch}`;
    else if (ch === "\\") {
      if (i + 1 < chars.length) {
        i++;
        re += `\\${chars[i]}`;
        type = "regexp";
      } else re += "\\\\";
    } else if (ch === "[" || ch === "]") {
      re += ch;
      type = "regexp";
    } else re += ch;
  }
  if (type === "exact") return (p) => p === pattern;
  if (type === "prefix") {
    const prefix = pattern.slice(0, -2);
    return (p) => p.startsWith(prefix);
  }
  if (type === "suffix") {
    const suffix = pattern.slice(2);
    return (p) => p.endsWith(suffix) || (suffix.startsWith("/") && p === suffix.slice(1));
  }
  let rx: RegExp;
  try {
    rx = new RegExp(`${re}$`, "u");
  } catch {
    return () => false;
  }
  return (p) => rx.test(p);
}

/** Patterns of a `.dockerignore` file, cleaned like ignorefile.ReadAll. */
export function parseDockerignore(text: string): IgnorePattern[] {
  const out: IgnorePattern[] = [];
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  for (const line of lines) {
    if (line.startsWith("#")) continue;
    let p = line.trim();
    if (!p) continue;
    const exclusion = p.startsWith("!");
    if (exclusion) p = p.slice(1).trim();
    if (p) {
      p = cleanPath(p);
      if (p.length > 1 && p.startsWith("/")) p = p.slice(1);
    }
    if (!p) continue;
    // patternmatcher.New cleans again and drops empty patterns.
    p = cleanPath(p);
    out.push({ pattern: p, exclusion, match: compile(p) });
  }
  return out;
}

/** MatchesOrParentMatches: the path or one of its parent directories is ignored. */
export function isIgnored(patterns: readonly IgnorePattern[], file: string): boolean {
  let matched = false;
  const slash = file.lastIndexOf("/");
  const parent = slash < 0 ? "." : file.slice(0, slash) || "/";
  const parentDirs = parent.split("/");
  for (const p of patterns) {
    if (p.exclusion !== matched) continue;
    let m = p.match(file);
    if (!m && parent !== ".") {
      for (let i = 0; i < parentDirs.length && !m; i++)
        m = p.match(parentDirs.slice(0, i + 1).join("/"));
    }
    if (m) matched = !p.exclusion;
  }
  return matched;
}
