import { describe } from "vitest";
import { checkCases } from "./testing.ts";

const msg = (v: string) =>
  `Setting platform to predefined ${v} in FROM is redundant as this is the default behavior`;

// Cases from BuildKit's docs page and its frontend/dockerfile check tests.
describe("RedundantTargetPlatform", () => {
  checkCases("RedundantTargetPlatform", [
    {
      name: "docs: --platform=$TARGETPLATFORM",
      text: "FROM --platform=$TARGETPLATFORM alpine AS builder\nRUN apk add --no-cache git\n",
      expect: [[1, msg("$TARGETPLATFORM")]],
    },
    {
      name: "docs: no --platform",
      text: "FROM alpine AS builder\nRUN apk add --no-cache git\n",
      expect: [],
    },
    {
      name: "braces",
      text: "\nFROM --platform=${TARGETPLATFORM} scratch\n",
      expect: [[2, msg("${TARGETPLATFORM}")]],
    },
    {
      name: "skipped by a check comment",
      text: "\n# check=skip=RedundantTargetPlatform\nFROM --platform=$TARGETPLATFORM scratch\n",
      expect: [],
    },
    {
      name: "BUILDPLATFORM is not redundant",
      text: "FROM --platform=$BUILDPLATFORM scratch\n",
      expect: [],
    },
    {
      name: "combined with other text",
      text: "FROM --platform=${TARGETOS}/${TARGETARCH} scratch\n",
      expect: [],
    },
  ]);
});
