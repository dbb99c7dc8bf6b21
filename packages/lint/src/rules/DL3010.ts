import { dropQuotes, parseCopy, runShell } from "../parser/instructions.ts";
import { argsNoFlags } from "../parser/shell.ts";
import { ARCHIVE_EXTENSIONS } from "./DL3020.ts";
import type { Rule, RuleFinding } from "./types.ts";
import { codeInstructions } from "./util.ts";

const UNZIP = new Set([
  "unzip",
  "gunzip",
  "bunzip2",
  "unlzma",
  "unxz",
  "zgz",
  "uncompress",
  "zcat",
  "gzcat",
]);

function basename(p: string): string {
  const s = dropQuotes(p);
  const i = Math.max(s.lastIndexOf("/"), s.lastIndexOf("\\"));
  return s.slice(i + 1);
}

function isArchive(p: string): boolean {
  const s = dropQuotes(p);
  return ARCHIVE_EXTENSIONS.some((e) => s.endsWith(e));
}

export const DL3010: Rule = {
  code: "DL3010",
  source: "hadolint",
  severity: "info",
  message: "Use `ADD` for extracting archives into an image",
  explanation:
    "Copying an archive and extracting it in a later RUN keeps the archive in a layer. `ADD` extracts local tar archives directly.",
  examples: {
    bad: "FROM alpine:3.20\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt",
    good: "FROM alpine:3.20\nADD app.tar.gz /opt/",
  },
  check(ctx) {
    let archives: { line: number; name: string }[] = [];
    let extracted = new Set<number>();
    for (const i of codeInstructions(ctx)) {
      if (i.keyword === "FROM") {
        archives = [];
        extracted = new Set();
      } else if (i.keyword === "COPY") {
        const c = parseCopy(i);
        if (c.from !== null) continue;
        if (isArchive(c.target)) archives.push({ line: i.range.line, name: basename(c.target) });
        else
          for (const s of c.sources)
            if (isArchive(basename(s))) archives.push({ line: i.range.line, name: basename(s) });
      } else if (i.keyword === "RUN" && archives.length) {
        for (const c of runShell(i).commands) {
          const tar =
            c.name === "tar" &&
            c.args.some(
              (a) => a === "--extract" || a === "--get" || (a.startsWith("-") && a.includes("x")),
            );
          if (!tar && !UNZIP.has(c.name)) continue;
          const names = argsNoFlags(c).map(basename);
          for (const a of archives) if (names.includes(a.name)) extracted.add(a.line);
        }
      }
    }
    const out: RuleFinding[] = [];
    for (const line of [...extracted].sort((a, b) => a - b)) out.push({ line });
    return out;
  },
};
