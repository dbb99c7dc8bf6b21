import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3056.
describe("DL3056", () => {
  ruleCases(
    "DL3056",
    [
      {
        name: "not ok with label not containing semantic version",
        expect: "catches",
        text: 'LABEL semver="not-sem-ver"\n',
      },
      {
        name: "not ok with label not containing semantic version",
        expect: "onbuildCatches",
        text: 'LABEL semver="not-sem-ver"\n',
      },
      {
        name: "ok with label containing semantic version",
        expect: "not",
        text: 'LABEL semver="1.0.0"\n',
      },
      {
        name: "ok with label containing semantic version",
        expect: "onbuildNot",
        text: 'LABEL semver="2.0.1-rc1"\n',
      },
      {
        name: "ok with other label not containing semantic version",
        expect: "not",
        text: 'LABEL other="foo"\n',
      },
      {
        name: "ok with other label not containing semantic version",
        expect: "onbuildNot",
        text: 'LABEL other="bar"\n',
      },
    ],
    { labelSchema: { semver: "semver" } },
  );
});
