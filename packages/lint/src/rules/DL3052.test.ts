import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3052.
describe("DL3052", () => {
  ruleCases(
    "DL3052",
    [
      {
        name: "not ok with label not containing URL",
        expect: "catches",
        text: 'LABEL urllabel="not-url"\n',
      },
      {
        name: "not ok with label not containing URL",
        expect: "onbuildCatches",
        text: 'LABEL urllabel="not-url"\n',
      },
      {
        name: "ok with label containing URL",
        expect: "not",
        text: 'LABEL urllabel="http://example.com"\n',
      },
      {
        name: "ok with label containing URL",
        expect: "onbuildNot",
        text: 'LABEL urllabel="http://example.com"\n',
      },
      {
        name: "ok with other label not containing URL",
        expect: "not",
        text: 'LABEL other="foo"\n',
      },
      {
        name: "ok with other label not containing URL",
        expect: "onbuildNot",
        text: 'LABEL other="bar"\n',
      },
    ],
    { labelSchema: { urllabel: "url" } },
  );
});
