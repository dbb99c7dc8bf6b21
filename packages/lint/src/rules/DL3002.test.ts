import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3002.
describe("DL3002", () => {
  ruleCases("DL3002", [
    {
      name: "last user should not be root",
      expect: "catches",
      text: "FROM scratch\nUSER root\n\n",
    },
    {
      name: "no root",
      expect: "not",
      text: "FROM scratch\nUSER foo\n\n",
    },
    {
      name: "no root UID",
      expect: "catches",
      text: "FROM scratch\nUSER 0\n\n",
    },
    {
      name: "no root:root",
      expect: "catches",
      text: "FROM scratch\nUSER root:root\n\n",
    },
    {
      name: "no UID:GID",
      expect: "catches",
      text: "FROM scratch\nUSER 0:0\n\n",
    },
    {
      name: "can switch back to non root",
      expect: "not",
      text: "FROM scratch\nUSER root\nRUN something\nUSER foo\n\n",
    },
    {
      name: "warns on transitive root user",
      expect: "catches",
      text: "FROM debian as base\nUSER root\nRUN something\nFROM base\nRUN something else\n\n",
    },
    {
      name: "warns on multiple stages",
      expect: "catches",
      text: "FROM debian as base\nUSER root\nRUN something\nFROM scratch\nUSER foo\nRUN something else\n\n",
    },
    {
      name: "does not warn when switching in multiple stages",
      expect: "not",
      text: "FROM debian as base\nUSER root\nRUN something\nUSER foo\nFROM scratch\nRUN something else\n\n",
    },
  ]);
});
