import { hasCacheOrTmpfsMountWith, runShell } from "../parser/instructions.ts";
import { cmdHasArgs, hasFlag } from "../parser/shell.ts";
import type { Rule } from "./types.ts";
import { simpleOnbuild } from "./util.ts";

export const DL3019: Rule = {
  code: "DL3019",
  source: "hadolint",
  severity: "info",
  requires: ["apk"],
  message:
    "Use the `--no-cache` switch to avoid the need to use `--update` and remove `/var/cache/apk/*` when done installing packages",
  explanation:
    "`apk add --no-cache` fetches the index without leaving it in the layer. A cache mount on /var/cache/apk is accepted too.",
  examples: {
    bad: "FROM alpine:3.20\nRUN apk add curl=8.9.1-r0",
    good: "FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0",
  },
  check: simpleOnbuild(
    "RUN",
    (i) =>
      i.keyword === "RUN" &&
      !hasCacheOrTmpfsMountWith(i, "/var/cache/apk") &&
      runShell(i).commands.some((c) => cmdHasArgs(c, "apk", ["add"]) && !hasFlag(c, "no-cache")),
  ),
};
