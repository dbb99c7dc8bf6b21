import { runShell } from "../parser/instructions.ts";
import { flagArgs, hasAnyFlag } from "../parser/shell.ts";
import type { Rule } from "./types.ts";
import { simpleOnbuild } from "./util.ts";

export const DL3046: Rule = {
  code: "DL3046",
  source: "hadolint",
  severity: "warning",
  requires: ["useradd"],
  message: "`useradd` without flag `-l` and high UID will result in excessively large Image.",
  explanation:
    "useradd writes a lastlog/faillog entry sized by the UID; with a high UID that file becomes gigabytes. `-l` (`--no-log-init`) skips it.",
  examples: {
    bad: "FROM debian:12\nRUN useradd -u 123456 app",
    good: "FROM debian:12\nRUN useradd -l -u 123456 app",
  },
  check: simpleOnbuild(
    "RUN",
    (i) =>
      i.keyword === "RUN" &&
      runShell(i).commands.some(
        (c) =>
          c.name === "useradd" &&
          !hasAnyFlag(c, ["l", "no-log-init"]) &&
          hasAnyFlag(c, ["u", "uid"]) &&
          flagArgs(c, "u").some((u) => u.length > 5),
      ),
  ),
};
