import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3022.
describe("DL3022", () => {
  ruleCases("DL3022", [
    {
      name: "warn on missing alias",
      expect: "catches",
      text: "COPY --from=foo bar .\n",
    },
    {
      name: "warn on alias defined after",
      expect: "catches",
      text: "FROM scratch\nCOPY --from=build foo .\nFROM node as build\nRUN baz\n\n",
    },
    {
      name: "don't warn on correctly defined aliases",
      expect: "not",
      text: "FROM scratch as build\nRUN foo\nFROM node\nCOPY --from=build foo .\nRUN baz\n\n",
    },
    {
      name: "don't warn on external images",
      expect: "not",
      text: "COPY --from=haskell:latest bar .\n",
    },
    {
      name: "warn on invalid stage count as --from=<count>",
      expect: "catches",
      text: "COPY --from=0 bar .\n",
    },
    {
      name: "don't warn on valid stage count as --from=<count>",
      expect: "not",
      text: "FROM scratch as build\nRUN foo\nFROM node\nCOPY --from=0 foo .\n\n",
    },
    {
      name: "don't warn on valid stage count as --from=<count>",
      expect: "not",
      text: "FROM scratch\nRUN foo\nFROM node\nCOPY --from=0 foo .\n\n",
    },
  ]);
});
