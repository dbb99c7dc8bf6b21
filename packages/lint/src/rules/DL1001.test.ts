import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL1001.
describe("DL1001", () => {
  ruleCases("DL1001", [
    {
      name: "catches inline ignore pragma",
      expect: "catches",
      text: "# hadolint ignore=DL3003\nRUN foo bar\n\n",
    },
    {
      name: "does not catch other pragma",
      expect: "not",
      text: "# hadolint shell=powershell\nRUN foo bar\n\n",
    },
    {
      name: "does not catch other comment",
      expect: "not",
      text: "# foobar\nRUN foo bar\n\n",
    },
    {
      name: "does not catch when inline ignore pragma is absent",
      expect: "not",
      text: "FROM debian\nRUN foo bar\n\n",
    },
  ]);
});
