import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3049.
describe("DL3049", () => {
  ruleCases(
    "DL3049",
    [
      {
        name: "not ok: single stage, no label",
        expect: "catches",
        text: "FROM baseimage\n",
      },
      {
        name: "not ok: single stage, no label",
        expect: "onbuildCatches",
        text: "FROM baseimage\n",
      },
      {
        name: "not ok: single stage, wrong label",
        expect: "catches",
        text: 'FROM baseimage\nLABEL bar="baz"\n',
      },
      {
        name: "not ok: single stage, wrong label",
        expect: "onbuildCatches",
        text: 'FROM baseimage\nLABEL bar="baz"\n',
      },
      {
        name: "ok: single stage, label present",
        expect: "not",
        text: 'FROM baseimage\nLABEL foo="bar"\n',
      },
      {
        name: "ok: single stage, label present",
        expect: "onbuildNot",
        text: 'FROM baseimage\nLABEL foo="bar"\n',
      },
    ],
    { labelSchema: { foo: "text" } },
  );
});
