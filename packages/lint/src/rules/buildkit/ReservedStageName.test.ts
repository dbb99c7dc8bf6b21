import { describe } from "vitest";
import { checkCases } from "./testing.ts";

const msg = (n: string) => `Stage name should not use the same name as reserved stage "${n}"`;

// Cases from BuildKit's docs page and its frontend/dockerfile check tests.
describe("ReservedStageName", () => {
  checkCases("ReservedStageName", [
    {
      name: "docs: scratch and context",
      text: "FROM alpine AS scratch\nFROM alpine AS context\n",
      expect: [
        [1, msg("scratch")],
        [2, msg("context")],
      ],
    },
    { name: "docs: builder", text: "FROM alpine AS builder\n", expect: [] },
    { name: "scratch as a base is fine", text: "\nFROM scratch\nFROM scratch AS a\n", expect: [] },
    {
      name: "compared lower-cased",
      text: "FROM alpine AS Scratch\n",
      expect: [[1, msg("scratch")]],
    },
  ]);
});
