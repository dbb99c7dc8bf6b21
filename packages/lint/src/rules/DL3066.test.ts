import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3066.
describe("DL3066", () => {
  ruleCases("DL3066", [
    {
      name: "ok: numeric UID",
      expect: "not",
      text: "USER 12345\n",
    },
    {
      name: "ok: numeric UID and GID",
      expect: "not",
      text: "USER 1234:5678\n",
    },
    {
      name: "not ok: non-numeric UID",
      expect: "catches",
      text: "USER foobar\n",
    },
    {
      name: "not ok: non-numeric UID and GID",
      expect: "catches",
      text: "USER foobar:barfoo\n",
    },
    {
      name: "ok: UID is non-numeric, but is a defined ARG",
      expect: "not",
      text: "ARG APP_UID\nFROM foobar:barfoo\nUSER ${APP_UID}\n\n",
    },
  ]);
});
