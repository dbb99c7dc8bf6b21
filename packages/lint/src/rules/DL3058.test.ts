import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3058.
describe("DL3058", () => {
  ruleCases(
    "DL3058",
    [
      {
        name: "not ok with label not containing valid email",
        expect: "catches",
        text: 'LABEL maintainer="not-email"\n',
      },
      {
        name: "not ok with label not containing valid email",
        expect: "onbuildCatches",
        text: 'LABEL maintainer="not-email"\n',
      },
      {
        name: "ok with label containing valid email",
        expect: "not",
        text: 'LABEL maintainer="abcd@google.com"\n',
      },
      {
        name: "ok with label containing valid email",
        expect: "onbuildNot",
        text: 'LABEL maintainer="abcd@google.com"\n',
      },
      {
        name: "ok with other label not containing valid email",
        expect: "not",
        text: 'LABEL other="doo"\n',
      },
      {
        name: "ok with other label not containing valid email",
        expect: "onbuildNot",
        text: 'LABEL other="bar"\n',
      },
    ],
    { labelSchema: { maintainer: "email" } },
  );
});
