import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3024.
describe("DL3024", () => {
  ruleCases("DL3024", [
    {
      name: "warn on duplicate aliases",
      expect: "catches",
      text: "FROM node as foo\nRUN something\nFROM scratch as foo\nRUN something\n\n",
    },
    {
      name: "don't warn on unique aliases",
      expect: "not",
      text: "FROM scratch as build\nRUN foo\nFROM node as run\nRUN baz\n\n",
    },
  ]);
});
