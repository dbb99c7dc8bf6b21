import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3053.
describe("DL3053", () => {
  ruleCases(
    "DL3053",
    [
      {
        name: "not ok with label not containing RFC3339 date",
        expect: "catches",
        text: 'LABEL datelabel="not-date"\n',
      },
      {
        name: "not ok with label not containing RFC3339 date",
        expect: "onbuildCatches",
        text: 'LABEL datelabel="not-date"\n',
      },
      {
        name: "ok with label containing RFC3339 date",
        expect: "not",
        text: 'LABEL datelabel="2021-03-10T10:26:33.564595127+01:00"\n',
      },
      {
        name: "ok with label containing RFC3339 date",
        expect: "onbuildNot",
        text: 'LABEL datelabel="2021-03-10T10:26:33.564595127+01:00"\n',
      },
      {
        name: "ok with other label not containing RFC3339 date",
        expect: "not",
        text: 'LABEL other="doo"\n',
      },
      {
        name: "ok with other label not containing RFC3339 date",
        expect: "onbuildNot",
        text: 'LABEL other="bar"\n',
      },
    ],
    { labelSchema: { datelabel: "rfc3339" } },
  );
});
