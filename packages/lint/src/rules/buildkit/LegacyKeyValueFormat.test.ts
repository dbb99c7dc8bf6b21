import { describe } from "vitest";
import { checkCases } from "./testing.ts";

const msg = (i: string) =>
  `"${i} key=value" should be used instead of legacy "${i} key value" format`;

// Cases from BuildKit's docs page and its frontend/dockerfile check tests.
describe("LegacyKeyValueFormat", () => {
  checkCases("LegacyKeyValueFormat", [
    {
      name: "docs: multi-line legacy ENV",
      text: "FROM alpine\nENV DEPS \\\n    curl \\\n    git \\\n    make\n",
      expect: [[2, msg("ENV")]],
    },
    {
      name: "docs: quoted multi-line value",
      text: 'FROM alpine\nENV DEPS="\\\n    curl \\\n    git \\\n    make"\n',
      expect: [],
    },
    {
      name: "ENV and LABEL",
      text: "\nFROM scratch\nENV testkey value\nLABEL key value\n",
      expect: [
        [3, msg("ENV")],
        [4, msg("LABEL")],
      ],
    },
    { name: "key=value", text: "\nFROM scratch\nENV testkey=value\nLABEL key=value\n", expect: [] },
    {
      name: "in a stage that is not the target",
      text: "\nFROM scratch AS a\n\nFROM a AS b\nENV testkey value\nLABEL key value\n\nFROM a AS c\n",
      expect: [
        [5, msg("ENV")],
        [6, msg("LABEL")],
      ],
    },
    {
      name: "skipped by check comments",
      text: "\nFROM scratch\n# check=skip=LegacyKeyValueFormat\nENV testkey value\n# check=skip=LegacyKeyValueFormat\nLABEL key value\n",
      expect: [],
    },
  ]);
});
