import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3054.
describe("DL3054", () => {
  ruleCases(
    "DL3054",
    [
      {
        name: "not ok with label not containing SPDX identifier",
        expect: "catches",
        text: 'LABEL spdxlabel="not-spdx"\n',
      },
      {
        name: "not ok with label not containing SPDX identifier",
        expect: "onbuildCatches",
        text: 'LABEL spdxlabel="not-spdx"\n',
      },
      {
        name: "ok with label containing SPDX identifier",
        expect: "not",
        text: 'LABEL spdxlabel="BSD-3-Clause"\n',
      },
      {
        name: "ok with label containing SPDX identifier",
        expect: "onbuildNot",
        text: 'LABEL spdxlabel="MIT"\n',
      },
      {
        name: "ok with other label not containing SPDX identifier",
        expect: "not",
        text: 'LABEL other="fooo"\n',
      },
      {
        name: "ok with other label not containing SPDX identifier",
        expect: "onbuildNot",
        text: 'LABEL other="bar"\n',
      },
    ],
    { labelSchema: { spdxlabel: "spdx" } },
  );
});
