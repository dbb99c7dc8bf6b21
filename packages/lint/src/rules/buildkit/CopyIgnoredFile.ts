import { cleanPath, isIgnored, parseDockerignore } from "../../buildkit/dockerignore.ts";
import { goQuote, UNKNOWN_CHAR } from "../../buildkit/words.ts";
import { buildkitRule, Findings, model } from "./util.ts";

const ROOT_PATTERNS = new Set(["*", "**", "**/*"]);
const REMOTE = /^(?:https?:\/\/|git@|git:\/\/|ssh:\/\/)|\.git(?:#|$)/;

export const CopyIgnoredFile = buildkitRule(
  "CopyIgnoredFile",
  "Attempting to Copy file that is excluded by .dockerignore",
  {
    explanation:
      'A COPY or ADD source that `.dockerignore` excludes is not in the build context, so the build fails with "not found". Like BuildKit, the check is off when there is no `.dockerignore` (pass its contents with the `dockerignore` option; the CLI reads the file next to the Dockerfile) or when it has `!` exceptions, and `COPY --from` sources are not checked.',
    examples: {
      bad: "# .dockerignore: tmp/*\nFROM scratch\nCOPY ./tmp/helloworld.txt /helloworld.txt",
      good: "# .dockerignore: tmp/*\nFROM scratch\nCOPY ./forever/helloworld.txt /helloworld.txt",
    },
    check(ctx) {
      if (typeof ctx.dockerignore !== "string") return [];
      const patterns = parseDockerignore(ctx.dockerignore);
      if (!patterns.length || patterns.some((p) => p.exclusion)) return [];
      const m = model(ctx);
      const f = new Findings(m, "CopyIgnoredFile");
      const rootIgnored = patterns.some((p) => ROOT_PATTERNS.has(p.pattern));
      for (const c of m.commands) {
        const kw = c.instr.keyword;
        if (kw !== "COPY" && kw !== "ADD") continue;
        if (kw === "COPY" && c.instr.flags.some((x) => x.name === "from")) continue;
        for (const w of c.words) {
          if (w.role !== "source" || w.error || w.result.includes(UNKNOWN_CHAR)) continue;
          if (kw === "ADD" && REMOTE.test(w.result)) continue;
          const src = cleanPath(w.result.replace(/\\/g, "/"));
          if ((src === "." || src === "/") && !rootIgnored) continue;
          if (isIgnored(patterns, src))
            f.add(
              c.instr.range.line,
              `Attempting to ${kw === "ADD" ? "Add" : "Copy"} file ${goQuote(src)} that is excluded by .dockerignore`,
              c.instr,
            );
        }
      }
      return f.out;
    },
  },
);
