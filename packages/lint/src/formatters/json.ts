import type { Formatter } from "./types.ts";

/** hadolint's JSON: an array of {code, column, file, level, line, message}. */
export const json: Formatter = (results) =>
  JSON.stringify(
    results.flatMap((r) =>
      r.findings.map((f) => ({
        code: f.code,
        column: f.column,
        file: r.file,
        level: f.level,
        line: f.line,
        message: f.message,
      })),
    ),
  );
