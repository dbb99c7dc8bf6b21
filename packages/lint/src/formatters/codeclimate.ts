import { createHash } from "node:crypto";
import type { Formatter } from "./types.ts";

const SEVERITY = { error: "blocker", warning: "major", info: "info", style: "minor" } as const;

/** GitLab Code Quality (Code Climate subset): a JSON array with fingerprints. */
export const gitlabCodeclimate: Formatter = (results) =>
  JSON.stringify(
    results.flatMap((r) =>
      r.findings.map((f) => ({
        type: "issue",
        check_name: f.code,
        description: f.message,
        categories: ["Bug Risk"],
        severity: SEVERITY[f.level],
        fingerprint: createHash("sha1")
          .update(`${r.file}:${f.line}:${f.code}:${f.message}`)
          .digest("hex"),
        location: { path: r.file, lines: { begin: f.line, end: f.endLine } },
      })),
    ),
  );
