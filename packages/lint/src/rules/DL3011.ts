import { parsePorts } from "../parser/instructions.ts";
import type { Rule } from "./types.ts";
import { simple } from "./util.ts";

export const DL3011: Rule = {
  code: "DL3011",
  source: "hadolint",
  severity: "error",
  message: "Valid UNIX ports range from 0 to 65535",
  explanation:
    "EXPOSE takes port numbers between 0 and 65535 (optionally ranges and /tcp or /udp).",
  examples: { bad: "FROM nginx:1.27\nEXPOSE 80000", good: "FROM nginx:1.27\nEXPOSE 8080" },
  check: simple(
    "EXPOSE",
    (i) =>
      i.keyword === "EXPOSE" &&
      parsePorts(i).some((p) => (p.start ?? 0) > 65535 || (p.end ?? 0) > 65535),
  ),
};
