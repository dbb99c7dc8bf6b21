import { parseCopy, parseFrom, parseMounts } from "../parser/instructions.ts";
import type { Rule, RuleFinding } from "./types.ts";
import { codeInstructions } from "./util.ts";

function matchRegistry(allow: string, registry: string): boolean {
  if (allow === "*") return true;
  if (allow.startsWith("*")) return registry.endsWith(allow.slice(1));
  if (allow.endsWith("*")) return registry.startsWith(allow.slice(0, -1));
  return registry === allow;
}

export const DL3026: Rule = {
  code: "DL3026",
  source: "hadolint",
  severity: "error",
  message: "Use only an allowed registry in the FROM image",
  explanation:
    "With `trustedRegistries` configured, every base image (and `COPY --from` / `RUN --mount from=` image) must come from one of them. Earlier stages and `scratch` are always allowed; Docker Hub images count as `docker.io`.",
  examples: {
    bad: "# trustedRegistries: [registry.example.com]\nFROM debian:12",
    good: "# trustedRegistries: [registry.example.com]\nFROM registry.example.com/debian:12",
  },
  check(ctx) {
    const allowed = ctx.settings.trustedRegistries;
    if (!allowed.length) return [];
    const aliases = new Set<string>();
    const ok = (ref: string): boolean => {
      const b = parseFrom({ ...emptyFrom, rest: ref });
      if (aliases.has(b.name)) return true;
      if (b.registry) return allowed.some((a) => matchRegistry(a, b.registry as string));
      return (
        b.name === "scratch" ||
        allowed.some((a) => matchRegistry(a, "docker.io") || matchRegistry(a, "hub.docker.com"))
      );
    };
    const out: RuleFinding[] = [];
    for (const i of codeInstructions(ctx)) {
      if (i.keyword === "FROM") {
        const b = parseFrom(i);
        const good = ok(i.rest);
        if (b.alias) aliases.add(b.alias);
        if (!good) out.push({ line: i.range.line });
      } else if (i.keyword === "COPY") {
        const src = parseCopy(i).from;
        if (src !== null && !ok(src)) out.push({ line: i.range.line });
      } else if (i.keyword === "RUN") {
        const bad = parseMounts(i).some(
          (m) => (m.type === "cache" || m.type === "bind") && !ok(m.from ?? "scratch"),
        );
        if (bad) out.push({ line: i.range.line });
      }
    }
    return out;
  },
};

const emptyFrom = {
  keyword: "FROM",
  rawKeyword: "FROM",
  range: { line: 0, column: 0, endLine: 0, endColumn: 0 },
  text: "",
  flags: [],
  rest: "",
  json: null,
  heredocs: [],
  inner: null,
  memo: null,
};
