import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3023.
describe("DL3023", () => {
  ruleCases("DL3023", [
    {
      name: "warn on copying from your the same FROM",
      expect: "catches",
      text: "FROM node as foo\nCOPY --from=foo bar .\n\n",
    },
    {
      name: "don't warn on copying from other sources",
      expect: "not",
      text: "FROM scratch as build\nRUN foo\nFROM node as run\nCOPY --from=build foo .\nRUN baz\n\n",
    },
  ]);
});
