import { describe } from "vitest";
import { checkCases } from "./testing.ts";

const msg = "Maintainer instruction is deprecated in favor of using label";

// Cases from BuildKit's docs page and its frontend/dockerfile check tests.
describe("MaintainerDeprecated", () => {
  checkCases("MaintainerDeprecated", [
    { name: "docs: MAINTAINER", text: "MAINTAINER moby@example.com\n", expect: [[1, msg]] },
    {
      name: "docs: label",
      text: 'LABEL org.opencontainers.image.authors="moby@example.com"\n',
      expect: [],
    },
    { name: "in a stage", text: "\nFROM scratch\nMAINTAINER me@example.org\n", expect: [[3, msg]] },
    {
      name: "skipped by a check comment",
      text: "\nFROM scratch\n# check=skip=MaintainerDeprecated\nMAINTAINER me@example.org\n",
      expect: [],
    },
    {
      name: "skip=all in a comment two lines up, across a blank line",
      text: "FROM scratch\n# check=skip=all\n\nMAINTAINER me@example.org\n",
      expect: [],
    },
  ]);
});
