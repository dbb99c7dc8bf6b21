import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3046.
describe("DL3046", () => {
  ruleCases("DL3046", [
    {
      name: "ok with `useradd` alone",
      expect: "not",
      text: "RUN useradd luser\n",
    },
    {
      name: "ok with `useradd` short uid",
      expect: "not",
      text: "RUN useradd -u 12345 luser\n",
    },
    {
      name: "ok with `useradd` long uid and flag `-l`",
      expect: "not",
      text: "RUN useradd -l -u 123456 luser\n",
    },
    {
      name: "ok with `useradd` and just flag `-l`",
      expect: "not",
      text: "RUN useradd -l luser\n",
    },
    {
      name: "warn when `useradd` and long uid without flag `-l`",
      expect: "catches",
      text: "RUN useradd -u 123456 luser\n",
    },
  ]);
});
