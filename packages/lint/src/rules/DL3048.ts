import { parsePairs } from "../parser/instructions.ts";
import type { Rule } from "./types.ts";
import { simple } from "./util.ts";

function invalidKey(l: string): boolean {
  return (
    !/^[a-z]/.test(l) ||
    !/[a-z0-9]$/.test(l) ||
    /[^0-9a-z./_-]/.test(l) ||
    l.startsWith("com.docker.") ||
    l.startsWith("io.docker.") ||
    l.startsWith("org.dockerproject.") ||
    l.includes("..") ||
    l.includes("--")
  );
}

export const DL3048: Rule = {
  code: "DL3048",
  source: "hadolint",
  severity: "style",
  message: "Invalid label key.",
  explanation:
    "Label keys should be lower-case reverse-DNS names (letters, digits, `.`, `-`, `_`, `/`), start with a letter, end with a letter or digit, and avoid Docker's reserved namespaces.",
  examples: {
    bad: 'FROM alpine:3.20\nLABEL -Maintainer="me"',
    good: 'FROM alpine:3.20\nLABEL org.opencontainers.image.authors="me"',
  },
  check: simple(
    "LABEL",
    (i) => i.keyword === "LABEL" && parsePairs(i).some(([k]) => invalidKey(k)),
  ),
};
