import { parseFrom } from "../parser/instructions.ts";
import type { Rule } from "./types.ts";
import { simple } from "./util.ts";

export const DL3029: Rule = {
  code: "DL3029",
  source: "hadolint",
  severity: "warning",
  message: "Do not use --platform flag with FROM",
  explanation:
    "A fixed platform makes the Dockerfile build the wrong architecture elsewhere. Use `$BUILDPLATFORM`/`$TARGETPLATFORM` or pass `--platform` to the build.",
  examples: {
    bad: "FROM --platform=linux/amd64 debian:12",
    good: "FROM --platform=$BUILDPLATFORM golang:1.23 AS build",
  },
  check: simple("FROM", (i) => {
    if (i.keyword !== "FROM") return false;
    const p = parseFrom(i).platform;
    return p !== null && !(p.includes("BUILDPLATFORM") || p.includes("TARGETPLATFORM"));
  }),
};
