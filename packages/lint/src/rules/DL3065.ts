import { parseFrom } from "../parser/instructions.ts";
import type { Rule } from "./types.ts";
import { simple } from "./util.ts";

export const DL3065: Rule = {
  code: "DL3065",
  source: "hadolint",
  severity: "warning",
  message:
    "Setting `FROM --platform` to predefined `$TARGETPLATFORM` in is redundant as this is the default behavior",
  explanation: "FROM already uses the target platform; `--platform=$TARGETPLATFORM` adds nothing.",
  examples: { bad: "FROM --platform=$TARGETPLATFORM alpine:3.20", good: "FROM alpine:3.20" },
  check: simple("FROM", (i) => {
    if (i.keyword !== "FROM") return false;
    const p = parseFrom(i).platform;
    return p === "$TARGETPLATFORM" || p === "${TARGETPLATFORM}";
  }),
};
