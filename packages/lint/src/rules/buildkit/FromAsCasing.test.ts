import { describe } from "vitest";
import { checkCases } from "./testing.ts";

// Cases from BuildKit's docs page and its frontend/dockerfile check tests.
describe("FromAsCasing", () => {
  checkCases("FromAsCasing", [
    {
      name: "docs: FROM ... as",
      text: "FROM debian:latest as builder\n",
      expect: [[1, "'as' and 'FROM' keywords' casing do not match"]],
    },
    { name: "docs: FROM ... AS", text: "FROM debian:latest AS deb-builder\n", expect: [] },
    { name: "docs: from ... as", text: "from debian:latest as deb-builder\n", expect: [] },
    {
      name: "from ... AS",
      text: "\n# warning\n#\nfrom scratch AS base\n\nfrom scratch as base2\n",
      expect: [[4, "'AS' and 'from' keywords' casing do not match"]],
    },
    {
      name: "mixed-case FROM is left to ConsistentInstructionCasing",
      text: "From scratch as base\n",
      expect: [],
    },
    {
      name: "skipped for one instruction by a check comment",
      text: "FROM alpine AS a\n# check=skip=FromAsCasing\nFROM scratch as base\nFROM scratch as other\n",
      expect: [[4, "'as' and 'FROM' keywords' casing do not match"]],
    },
  ]);
});
