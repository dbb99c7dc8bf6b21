import type { Rule } from "./types.ts";
import { simple } from "./util.ts";

export const DL4000: Rule = {
  code: "DL4000",
  source: "hadolint",
  severity: "error",
  message: "MAINTAINER is deprecated",
  explanation: "Use `LABEL org.opencontainers.image.authors=...` instead.",
  examples: {
    bad: "FROM alpine:3.20\nMAINTAINER me@example.com",
    good: 'FROM alpine:3.20\nLABEL org.opencontainers.image.authors="me@example.com"',
  },
  check: simple("MAINTAINER", (i) => i.keyword === "MAINTAINER"),
};
