import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3021.
describe("DL3021", () => {
  ruleCases("DL3021", [
    {
      name: "no warn on 2 args",
      expect: "not",
      text: "COPY foo bar\n",
    },
    {
      name: "warn on 3 args",
      expect: "catches",
      text: "COPY foo bar baz\n",
    },
    {
      name: "no warn on 3 args",
      expect: "not",
      text: "COPY foo bar baz/\n",
    },
    {
      name: "warn on 3 args with quotes",
      expect: "catches",
      text: 'COPY foo bar "baz"\n',
    },
    {
      name: "no warn on 3 args with quotes",
      expect: "not",
      text: 'COPY foo bar "baz/"\n',
    },
  ]);
});
