import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL4003.
describe("DL4003", () => {
  ruleCases("DL4003", [
    {
      name: "many cmds",
      expect: "catches",
      text: "FROM debian\nCMD bash\nRUN foo\nCMD another\n\n",
    },
    {
      name: "single cmds, different stages",
      expect: "not",
      text: "FROM debian as distro1\nCMD bash\nRUN foo\nFROM debian as distro2\nCMD another\n\n",
    },
    {
      name: "many cmds, different stages",
      expect: "catches",
      text: "FROM debian as distro1\nCMD bash\nRUN foo\nCMD another\nFROM debian as distro2\nCMD another\n\n",
    },
    {
      name: "single cmd",
      expect: "not",
      text: "CMD /bin/true\n",
    },
  ]);
});
