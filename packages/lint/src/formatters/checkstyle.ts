import type { Formatter } from "./types.ts";

function esc(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** Checkstyle XML, one <file> per input, like hadolint's. */
export const checkstyle: Formatter = (results) => {
  let out = "<?xml version='1.0' encoding='UTF-8'?><checkstyle version='4.3'>";
  for (const r of results) {
    if (!r.findings.length) continue;
    out += `<file name='${esc(r.file)}'>`;
    for (const f of r.findings)
      out += `<error line='${f.line}' column='${f.column}' severity='${f.level}' message='${esc(f.message)}' source='${esc(f.code)}'/>`;
    out += "</file>";
  }
  return `${out}</checkstyle>`;
};
