import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3065.
describe("DL3065", () => {
  ruleCases("DL3065", [
    {
      name: "ok: FROM no --platform",
      expect: "not",
      text: "FROM alpine:3.24\n",
    },
    {
      name: "ok: FROM --platform not $TARGETPLATFORM",
      expect: "not",
      text: "FROM --platform=$FOOBAR alpine:3.24\n",
    },
    {
      name: "ok: FROM --platform not $TARGETPLATFORM",
      expect: "not",
      text: "FROM --platform=foobar alpine:3.24\n",
    },
    {
      name: "ok: FROM --platform not $TARGETPLATFORM",
      expect: "not",
      text: "FROM --platform=foobar/arm64 alpine:3.24\n",
    },
    {
      name: "not ok: FROM --platform=$TARGETPLATFORM",
      expect: "catches",
      text: "FROM --platform=$TARGETPLATFORM alpine:3.24\n",
    },
    {
      name: "not ok: FROM --platform=$TARGETPLATFORM",
      expect: "catches",
      text: "FROM --platform=${TARGETPLATFORM} alpine:3.24\n",
    },
  ]);
});
