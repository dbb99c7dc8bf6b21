import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3004.
describe("DL3004", () => {
  ruleCases("DL3004", [
    {
      name: "sudo",
      expect: "catches",
      text: "RUN sudo apt-get update\n",
    },
    {
      name: "sudo",
      expect: "onbuildCatches",
      text: "RUN sudo apt-get update\n",
    },
    {
      name: "install sudo",
      expect: "not",
      text: "RUN apt-get install sudo\n",
    },
    {
      name: "install sudo",
      expect: "onbuildNot",
      text: "RUN apt-get install sudo\n",
    },
    {
      name: "sudo chained programs",
      expect: "catches",
      text: "RUN apt-get update && sudo apt-get install\n",
    },
    {
      name: "sudo chained programs",
      expect: "onbuildCatches",
      text: "RUN apt-get update && sudo apt-get install\n",
    },
  ]);
});
