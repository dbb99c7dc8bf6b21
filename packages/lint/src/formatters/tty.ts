import type { Level } from "../lint.ts";
import type { Formatter } from "./types.ts";

const COLORS: Record<Level, string> = {
  error: "\u001b[1;31m",
  warning: "\u001b[1;33m",
  info: "\u001b[32m",
  style: "\u001b[36m",
};

/** hadolint's tty layout: `file:line CODE level: message`. */
export const tty: Formatter = (results, { color }) => {
  const out: string[] = [];
  for (const r of results)
    for (const f of r.findings) {
      const level = color ? `${COLORS[f.level]}${f.level}\u001b[0m` : f.level;
      out.push(`${r.file}:${f.line} ${f.code} ${level}: ${f.message}`);
    }
  return out.length ? `${out.join("\n")}\n` : "";
};
