/** Writes docs/rules.md from the rule metadata: `npm run docs -w @slipway/lint`. */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { rules } from "./rules/index.ts";

export function renderRulesMarkdown(): string {
  const lines = [
    "# slipway-lint rules",
    "",
    "Generated from the rule metadata by `npm run docs -w @slipway/lint`. Do not edit by hand.",
    "",
    "| code | source | severity | message |",
    "| --- | --- | --- | --- |",
    ...rules.map(
      (r) =>
        `| [${r.code}](#${r.code.toLowerCase()}) | ${r.source} | ${r.severity} | ${r.message.replace(/\|/g, "\\|")} |`,
    ),
    "",
  ];
  for (const r of rules) {
    lines.push(`## ${r.code}`, "", `**${r.message}**`, "");
    lines.push(`Source: ${r.source}. Default severity: ${r.severity}.`, "", r.explanation, "");
    if (r.fix) lines.push(`Fix: ${r.fix}`, "");
    if (r.url) lines.push(`Reference: ${r.url}`, "");
    lines.push("Bad:", "", "```dockerfile", r.examples.bad, "```", "");
    lines.push("Good:", "", "```dockerfile", r.examples.good, "```", "");
  }
  return lines.join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = join(dirname(fileURLToPath(import.meta.url)), "../docs/rules.md");
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, renderRulesMarkdown());
  process.stdout.write(`wrote ${out} (${rules.length} rules)\n`);
}
