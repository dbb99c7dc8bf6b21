import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3003.
describe("DL3003", () => {
  ruleCases("DL3003", [
    {
      name: "ok using WORKDIR",
      expect: "not",
      text: "WORKDIR /opt\n",
    },
    {
      name: "not ok using cd",
      expect: "catches",
      text: "RUN cd /opt\n",
    },
  ]);
});
