import { parseFrom } from "../parser/instructions.ts";
import type { Rule } from "./types.ts";
import { simple } from "./util.ts";

export const DL3007: Rule = {
  code: "DL3007",
  source: "hadolint",
  severity: "warning",
  message:
    "Using latest is prone to errors if the image will ever update. Pin the version explicitly to a release tag",
  explanation:
    "`latest` moves: builds stop being reproducible and caches are invalidated without notice. A tag together with a digest is accepted.",
  examples: { bad: "FROM debian:latest", good: "FROM debian:12" },
  check: simple("FROM", (i) => {
    if (i.keyword !== "FROM") return false;
    const b = parseFrom(i);
    return b.tag === "latest" && b.digest === null;
  }),
};
