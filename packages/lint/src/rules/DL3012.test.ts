import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3012.
describe("DL3012", () => {
  ruleCases("DL3012", [
    {
      name: "ok with no HEALTHCHECK instruction",
      expect: "not",
      text: "FROM scratch\n",
    },
    {
      name: "ok with one HEALTHCHECK instruction",
      expect: "not",
      text: "FROM scratch\nHEALTHCHECK CMD /bin/bla\n",
    },
    {
      name: "ok with two HEALTHCHECK instructions in two stages",
      expect: "not",
      text: "FROM scratch\nHEALTHCHECK CMD /bin/bla1\nFROM scratch\nHEALTHCHECK CMD /bin/bla2\n",
    },
    {
      name: "warn with two HEALTHCHECK instructions",
      expect: "catches",
      text: "FROM scratch\nHEALTHCHECK CMD /bin/bla1\nHEALTHCHECK CMD /bin/bla2\n",
    },
  ]);
});
