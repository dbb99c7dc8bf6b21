import { describe } from "vitest";
import { checkCases } from "./testing.ts";

const msg = 'FROM --platform flag should not use constant value "linux/amd64"';

// Cases from BuildKit's docs page and its frontend/dockerfile check tests.
describe("FromPlatformFlagConstDisallowed", () => {
  checkCases("FromPlatformFlagConstDisallowed", [
    {
      name: "docs: constant platform",
      text: "FROM --platform=linux/amd64 alpine AS base\nRUN apk add --no-cache git\n",
      expect: [[1, msg]],
    },
    {
      name: "docs: default platform",
      text: "FROM alpine AS base\nRUN apk add --no-cache git\n",
      expect: [],
    },
    {
      name: "docs: meta variable",
      text: "FROM --platform=${BUILDPLATFORM} alpine AS base\nRUN apk add --no-cache git\n",
      expect: [],
    },
    {
      name: "docs: stage names carry the architecture",
      text: "FROM --platform=linux/amd64 alpine AS build_amd64\n\nFROM --platform=linux/arm64 alpine AS build_arm64\n\nFROM build_${TARGETARCH} AS build\n",
      expect: [],
    },
    { name: "unnamed stage", text: "\nFROM --platform=linux/amd64 scratch\n", expect: [[2, msg]] },
    {
      name: "stage named after the architecture",
      text: "\nFROM --platform=linux/amd64 scratch AS my_amd64_stage\n",
      expect: [],
    },
    {
      name: "stage named after the OS",
      text: "\nFROM --platform=linux/amd64 scratch AS linux\n",
      expect: [],
    },
  ]);
});
