import { describe } from "vitest";
import { checkCases } from "./testing.ts";

// Cases from BuildKit's docs page and its frontend/dockerfile check tests.
describe("DuplicateStageName", () => {
  checkCases("DuplicateStageName", [
    {
      name: "docs: builder declared twice",
      text: "FROM debian:latest AS builder\nRUN apt-get update; apt-get install -y curl\n\nFROM golang:latest AS builder\n",
      expect: [[4, 'Duplicate stage name "builder", stage names should be unique']],
    },
    {
      name: "docs: unique names",
      text: "FROM debian:latest AS deb-builder\nRUN apt-get update; apt-get install -y curl\n\nFROM golang:latest AS go-builder\n",
      expect: [],
    },
    {
      name: "compared case-insensitively",
      text: "\nFROM scratch AS b\nFROM scratch AS B\n",
      expect: [[3, 'Duplicate stage name "b", stage names should be unique']],
    },
    { name: "different names", text: "\nFROM scratch AS b1\nFROM scratch AS b2\n", expect: [] },
  ]);
});
