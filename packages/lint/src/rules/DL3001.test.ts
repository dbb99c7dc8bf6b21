import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3001.
describe("DL3001", () => {
  ruleCases("DL3001", [
    {
      name: "invalid cmd",
      expect: "catches",
      text: "RUN top\n",
    },
    {
      name: "invalid cmd",
      expect: "onbuildCatches",
      text: "RUN top\n",
    },
    {
      name: "install ssh",
      expect: "not",
      text: "RUN apt-get install ssh\n",
    },
    {
      name: "install ssh",
      expect: "onbuildNot",
      text: "RUN apt-get install ssh\n",
    },
  ]);
});
