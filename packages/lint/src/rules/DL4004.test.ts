import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL4004.
describe("DL4004", () => {
  ruleCases("DL4004", [
    {
      name: "no cmd",
      expect: "not",
      text: "FROM busybox\n",
    },
    {
      name: "many entrypoints",
      expect: "catches",
      text: "FROM debian\nENTRYPOINT bash\nRUN foo\nENTRYPOINT another\n\n",
    },
    {
      name: "single entrypoint, different stages",
      expect: "not",
      text: "FROM debian as distro1\nENTRYPOINT bash\nRUN foo\nFROM debian as distro2\nENTRYPOINT another\n\n",
    },
    {
      name: "many entrypoints, different stages",
      expect: "catches",
      text: "FROM debian as distro1\nENTRYPOINT bash\nRUN foo\nENTRYPOINT another\nFROM debian as distro2\nENTRYPOINT another\n\n",
    },
    {
      name: "single entry",
      expect: "not",
      text: "ENTRYPOINT /bin/true\n",
    },
    {
      name: "no entry",
      expect: "not",
      text: "FROM busybox\n",
    },
  ]);
});
