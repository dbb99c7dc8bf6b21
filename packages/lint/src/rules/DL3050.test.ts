import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3050.
describe("DL3050", () => {
  ruleCases(
    "DL3050",
    [
      {
        name: "ok with no label",
        expect: "not",
        text: "\n",
      },
      {
        name: "ok with no label",
        expect: "onbuildNot",
        text: "\n",
      },
      {
        name: "ok with required label",
        expect: "not",
        text: 'LABEL required="foo"\n',
      },
      {
        name: "ok with required label",
        expect: "onbuildNot",
        text: 'LABEL required="bar"\n',
      },
      {
        name: "not ok with just other label",
        expect: "catches",
        text: 'LABEL other="bar"\n',
      },
      {
        name: "not ok with just other label",
        expect: "onbuildCatches",
        text: 'LABEL other="bar"\n',
      },
      {
        name: "not ok with other label and required label",
        expect: "catches",
        text: 'LABEL required="foo" other="bar"\n',
      },
      {
        name: "not ok with other label and required label",
        expect: "onbuildCatches",
        text: 'LABEL required="foo" other="bar"\n',
      },
    ],
    { labelSchema: { required: "text" }, strictLabels: true },
  );
});
