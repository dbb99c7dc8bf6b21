import { describe } from "vitest";
import { checkCases } from "./testing.ts";

const msg = (c: string, casing: string) =>
  `Command '${c}' should match the case of the command majority (${casing})`;

// Cases from BuildKit's docs page and its frontend/dockerfile check tests.
describe("ConsistentInstructionCasing", () => {
  checkCases("ConsistentInstructionCasing", [
    {
      name: "docs: mixed-case keywords",
      text: 'From alpine\nRun echo hello > /greeting.txt\nEntRYpOiNT ["cat", "/greeting.txt"]\n',
      expect: [
        [1, msg("From", "uppercase")],
        [2, msg("Run", "uppercase")],
        [3, msg("EntRYpOiNT", "uppercase")],
      ],
    },
    {
      name: "docs: all upper case",
      text: 'FROM alpine\nRUN echo hello > /greeting.txt\nENTRYPOINT ["cat", "/greeting.txt"]\n',
      expect: [],
    },
    {
      name: "docs: all lower case",
      text: 'from alpine\nrun echo hello > /greeting.txt\nentrypoint ["cat", "/greeting.txt"]\n',
      expect: [],
    },
    {
      name: "mixed FROM against an upper-case majority",
      text: "\n# warning\n#\nFrom scratch as base\nFROM scratch AS base2\n",
      expect: [[4, msg("From", "uppercase")]],
    },
    {
      name: "lower-case copy among upper case",
      text: "\nFROM scratch\ncopy Dockerfile /foo\nCOPY Dockerfile /bar\n",
      expect: [[3, msg("copy", "uppercase")]],
    },
    {
      name: "frOM against a lower-case majority",
      text: "\nfrOM scratch as base\nfrom scratch as base2\n",
      expect: [[2, msg("frOM", "lowercase")]],
    },
    {
      name: "upper-case COPY among lower case",
      text: "\nfrom scratch\nCOPY Dockerfile /foo\ncopy Dockerfile /bar\n",
      expect: [[3, msg("COPY", "lowercase")]],
    },
    {
      name: "lower-case from, upper-case majority",
      text: "from scratch\nCOPY a /foo\nCOPY a /bar\nCOPY a /baz\n",
      expect: [[1, msg("from", "uppercase")]],
    },
    {
      name: "upper-case FROM, lower-case majority",
      text: "FROM scratch\ncopy a /foo\ncopy a /bar\ncopy a /baz\n",
      expect: [[1, msg("FROM", "lowercase")]],
    },
    {
      name: "heredoc body lines are not instructions",
      text: "\nFROM alpine\nRUN <<'EOT'\nenv\nEOT\n",
      expect: [],
    },
    {
      name: "global ARGs are not counted",
      text: "arg V=1\narg W=2\nFROM alpine:$V\n",
      expect: [],
    },
  ]);
});
