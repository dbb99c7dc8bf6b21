import { dropQuotes, parseCopy } from "../parser/instructions.ts";
import type { Rule } from "./types.ts";
import { simple } from "./util.ts";

export const SW1005: Rule = {
  code: "SW1005",
  source: "slipway",
  severity: "warning",
  message:
    "ADD of a remote URL without --checksum; the download is neither verified nor cacheable by content",
  explanation:
    "BuildKit must fetch a remote ADD source on every build to know whether it changed. With `--checksum=sha256:...` the content is verified and the cache key is known up front.",
  fix: "Add `--checksum=sha256:<digest>` to the ADD (or ADD a git URL pinned to a commit).",
  examples: {
    bad: "FROM alpine:3.20\nADD https://example.com/tool.tar.gz /opt/",
    good: "FROM alpine:3.20\nADD --checksum=sha256:0000000000000000000000000000000000000000000000000000000000000000 https://example.com/tool.tar.gz /opt/",
  },
  check: simple(
    "ADD",
    (i) =>
      i.keyword === "ADD" &&
      !i.flags.some((f) => f.name === "checksum") &&
      parseCopy(i).sources.some((s) => /^https?:\/\//.test(dropQuotes(s)) && !/\.git(#|$)/.test(s)),
  ),
};
