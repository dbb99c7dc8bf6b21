import { dropQuotes, parseCopy } from "../parser/instructions.ts";
import type { Rule } from "./types.ts";
import { simple } from "./util.ts";

export const ARCHIVE_EXTENSIONS = [
  ".tar",
  ".Z",
  ".bz2",
  ".gz",
  ".lz",
  ".lzma",
  ".tZ",
  ".tb2",
  ".tbz",
  ".tbz2",
  ".tgz",
  ".tlz",
  ".tpz",
  ".txz",
  ".xz",
];

export const DL3020: Rule = {
  code: "DL3020",
  source: "hadolint",
  severity: "error",
  message: "Use COPY instead of ADD for files and folders",
  explanation:
    "ADD has extra behaviour (URL download, archive extraction). For plain files and folders COPY says what it does.",
  examples: { bad: "FROM alpine:3.20\nADD app /app", good: "FROM alpine:3.20\nCOPY app /app" },
  check: simple("ADD", (i) => {
    if (i.keyword !== "ADD") return false;
    return parseCopy(i).sources.some((s) => {
      const p = dropQuotes(s);
      return !(
        ARCHIVE_EXTENSIONS.some((e) => p.endsWith(e)) ||
        p.startsWith("https://") ||
        p.startsWith("http://")
      );
    });
  }),
};
