import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3063.
describe("DL3063", () => {
  ruleCases("DL3063", [
    {
      name: "not ok: stage name `scratch`",
      expect: "catches",
      text: "FROM foo:bar AS scratch\n",
    },
    {
      name: "not ok: stage name `context`",
      expect: "catches",
      text: "FROM foo:bar AS context\n",
    },
    {
      name: "ok: stage name `foobar`",
      expect: "not",
      text: "FROM foo:bar AS foobar\n",
    },
  ]);
});
