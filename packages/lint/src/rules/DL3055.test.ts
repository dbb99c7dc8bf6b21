import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3055.
describe("DL3055", () => {
  ruleCases(
    "DL3055",
    [
      {
        name: "not ok with label not containing git hash",
        expect: "catches",
        text: 'LABEL githash="not-git-hash"\n',
      },
      {
        name: "not ok with label not containing git hash",
        expect: "onbuildCatches",
        text: 'LABEL githash="not-git-hash"\n',
      },
      {
        name: "ok with label containing short git hash",
        expect: "not",
        text: 'LABEL githash="2dbfae9"\n',
      },
      {
        name: "ok with label containing short git hash",
        expect: "onbuildNot",
        text: 'LABEL githash="2dbfae9"\n',
      },
      {
        name: "ok with label containing long git hash",
        expect: "not",
        text: 'LABEL githash="43c572f1272b6b3171dd1db9e41b7027128ce080"\n',
      },
      {
        name: "ok with label containing long git hash",
        expect: "onbuildNot",
        text: 'LABEL githash="43c572f1272b6b3171dd1db9e41b7027128ce080"\n',
      },
      {
        name: "ok with other label not containing git hash",
        expect: "not",
        text: 'LABEL other="foo"\n',
      },
      {
        name: "ok with other label not containing git hash",
        expect: "onbuildNot",
        text: 'LABEL other="bar"\n',
      },
    ],
    { labelSchema: { githash: "hash" } },
  );
});
