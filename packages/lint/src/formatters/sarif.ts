import { rules } from "../rules/index.ts";
import type { Formatter } from "./types.ts";

const LEVEL = { error: "error", warning: "warning", info: "note", style: "note" } as const;

/** SARIF 2.1.0. */
export const sarif: Formatter = (results) => {
  const used = new Set(results.flatMap((r) => r.findings.map((f) => f.code)));
  const doc = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "slipway-lint",
            informationUri: "https://github.com/hadolint/hadolint",
            rules: rules
              .filter((r) => used.has(r.code))
              .map((r) => ({
                id: r.code,
                shortDescription: { text: r.message },
                fullDescription: { text: r.explanation },
                ...(r.url ? { helpUri: r.url } : {}),
              })),
          },
        },
        results: results.flatMap((r) =>
          r.findings.map((f) => ({
            ruleId: f.code,
            level: LEVEL[f.level],
            message: { text: f.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: r.file },
                  region: {
                    startLine: f.line,
                    startColumn: f.column,
                    endLine: f.endLine,
                    endColumn: f.column,
                  },
                },
              },
            ],
          })),
        ),
      },
    ],
  };
  return JSON.stringify(doc);
};
