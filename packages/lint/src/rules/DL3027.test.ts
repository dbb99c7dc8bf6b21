import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3027.
describe("DL3027", () => {
  ruleCases("DL3027", [
    {
      name: "apt",
      expect: "catches",
      text: "FROM ubuntu\nRUN apt install python\n\n",
    },
    {
      name: "apt",
      expect: "onbuildCatches",
      text: "FROM ubuntu\nRUN apt install python\n\n",
    },
  ]);
});
