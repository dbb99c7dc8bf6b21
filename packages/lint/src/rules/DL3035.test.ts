import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3035.
describe("DL3035", () => {
  ruleCases("DL3035", [
    {
      name: "not ok: zypper dist-upgrade",
      expect: "catches",
      text: "RUN zypper dist-upgrade\n",
    },
    {
      name: "not ok: zypper dist-upgrade",
      expect: "catches",
      text: "RUN zypper dup\n",
    },
    {
      name: "not ok: zypper dist-upgrade",
      expect: "onbuildCatches",
      text: "RUN zypper dist-upgrade\n",
    },
    {
      name: "not ok: zypper dist-upgrade",
      expect: "onbuildCatches",
      text: "RUN zypper dup\n",
    },
  ]);
});
