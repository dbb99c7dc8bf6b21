import { dropQuotes, parseCopy } from "../parser/instructions.ts";
import type { Rule } from "./types.ts";
import { simple } from "./util.ts";

export const DL3067: Rule = {
  code: "DL3067",
  source: "hadolint",
  severity: "warning",
  message: "Do not copy an entire filesystem from another stage",
  explanation:
    "`COPY --from=stage / /` copies every file of the stage; copy only the artifacts you need.",
  examples: {
    bad: "FROM alpine:3.20 AS build\nFROM scratch\nCOPY --from=build / /",
    good: "FROM alpine:3.20 AS build\nFROM scratch\nCOPY --from=build /out/app /app",
  },
  check: simple("COPY", (i) => {
    if (i.keyword !== "COPY") return false;
    const c = parseCopy(i);
    return (
      c.from !== null &&
      c.sources.some((s) => dropQuotes(s) === "/") &&
      dropQuotes(c.target) === "/"
    );
  }),
};
