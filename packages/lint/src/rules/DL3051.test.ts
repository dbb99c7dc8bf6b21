import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3051.
describe("DL3051", () => {
  ruleCases(
    "DL3051",
    [
      {
        name: "not ok with label empty",
        expect: "catches",
        text: 'LABEL emptylabel=""\n',
      },
      {
        name: "not ok with label empty",
        expect: "onbuildCatches",
        text: 'LABEL emptylabel=""\n',
      },
      {
        name: "ok with label not empty",
        expect: "not",
        text: 'LABEL emptylabel="foo"\n',
      },
      {
        name: "ok with label not empty",
        expect: "onbuildNot",
        text: 'LABEL emptylabel="bar"\n',
      },
      {
        name: "ok with other label empty",
        expect: "not",
        text: 'LABEL other=""\n',
      },
      {
        name: "ok with other label empty",
        expect: "onbuildNot",
        text: 'LABEL other=""\n',
      },
    ],
    { labelSchema: { emptylabel: "text" } },
  );
});
