import type { Rule } from "./types.ts";
import { simple } from "./util.ts";

export const DL3043: Rule = {
  code: "DL3043",
  source: "hadolint",
  severity: "error",
  message: "`ONBUILD`, `FROM` or `MAINTAINER` triggered from within `ONBUILD` instruction.",
  explanation: "Docker does not allow ONBUILD to trigger ONBUILD, FROM or MAINTAINER.",
  examples: {
    bad: "FROM debian:12\nONBUILD FROM alpine:3.20",
    good: "FROM debian:12\nONBUILD RUN make",
  },
  check: simple(
    "ONBUILD",
    (i) =>
      i.keyword === "ONBUILD" && ["ONBUILD", "FROM", "MAINTAINER"].includes(i.inner?.keyword ?? ""),
  ),
};
