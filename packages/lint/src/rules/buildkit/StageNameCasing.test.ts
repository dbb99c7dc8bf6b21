import { describe } from "vitest";
import { checkCases } from "./testing.ts";

// Cases from BuildKit's docs page and its frontend/dockerfile check tests.
describe("StageNameCasing", () => {
  checkCases("StageNameCasing", [
    {
      name: "docs: mixed case",
      text: "FROM alpine AS BuilderBase\n",
      expect: [[1, "Stage name 'BuilderBase' should be lowercase"]],
    },
    { name: "docs: lower case", text: "FROM alpine AS builder-base\n", expect: [] },
    {
      name: "with other checks around",
      text: "\nFROM scratch AS BadStageName\nMAINTAINER me@example.org\n",
      expect: [[2, "Stage name 'BadStageName' should be lowercase"]],
    },
    {
      name: "skipped by a check comment",
      text: "# check=skip=StageNameCasing\nFROM alpine AS Builder\n",
      expect: [],
    },
  ]);
});
