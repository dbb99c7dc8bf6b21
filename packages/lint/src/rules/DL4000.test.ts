import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL4000.
describe("DL4000", () => {
  ruleCases("DL4000", [
    {
      name: "has deprecated maintainer",
      expect: "catches",
      text: "FROM busybox\nMAINTAINER hudu@mail.com\n",
    },
    {
      name: "has maintainer",
      expect: "catches",
      text: "FROM debian\nMAINTAINER Lukas\n",
    },
    {
      name: "has maintainer first",
      expect: "catches",
      text: "MAINTAINER Lukas\nFROM DEBIAN\n",
    },
    {
      name: "has no maintainer",
      expect: "not",
      text: "FROM debian\n",
    },
  ]);
});
