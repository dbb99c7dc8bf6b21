import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3057.
describe("DL3057", () => {
  ruleCases("DL3057", [
    {
      name: "warn with no HEALTHCHECK instructions",
      expect: "catches",
      text: "FROM scratch\n\n",
    },
    {
      name: "ok when HEALTHCHECK is explicitly disabled",
      expect: "not",
      text: "FROM scratch\nHEALTHCHECK NONE\n\n",
    },
    {
      name: "ok with one HEALTHCHECK instruction",
      expect: "not",
      text: "FROM scratch\nHEALTHCHECK CMD /bin/bla\n\n",
    },
    {
      name: "ok with inheriting HEALTHCHECK instruction",
      expect: "not",
      text: "FROM scratch AS base\nHEALTHCHECK CMD /bin/bla\nFROM base\n\n",
    },
    {
      name: "ok with ending inheritance chain with HEALTCHECK",
      expect: "not",
      text: "FROM scratch AS base1\nFROM base1 AS base2\nFROM base2 AS base3\nFROM base3 AS end\nHEALTHCHECK NONE\n\n",
    },
    {
      name: "warn when inheritance chain bifurcates",
      expect: "catches",
      text: "FROM scratch AS base1\nFROM base1 AS base2\nFROM base2 AS base3.1\nFROM base2 AS base3.2\n\nFROM base3.1 AS end1\nHEALTHCHECK NONE\n\nFROM base3.2 AS end2\n\n",
    },
    {
      name: "warn when not inheriting with no HEALTHCHECK instruction",
      expect: "catches",
      text: "FROM scratch AS base\nHEALTHCHECK CMD /bin/bla\nFROM scratch\n\n",
    },
  ]);
});
