import type { Rule } from "./types.ts";
import { simple } from "./util.ts";

export const DL3025: Rule = {
  code: "DL3025",
  source: "hadolint",
  severity: "warning",
  message: "Use arguments JSON notation for CMD and ENTRYPOINT arguments",
  explanation:
    "The shell form wraps the command in `/bin/sh -c`, so the process does not get signals such as SIGTERM and cannot shut down cleanly.",
  examples: {
    bad: "FROM node:22\nCMD node server.js",
    good: 'FROM node:22\nCMD ["node", "server.js"]',
  },
  check: simple((i) => {
    if (i.keyword === "CMD" || i.keyword === "ENTRYPOINT")
      return i.json === null && !i.heredocs.length;
    if (i.keyword === "HEALTHCHECK") return /^CMD\s/i.test(i.rest) && i.json === null;
    return false;
  }),
};
