import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3029.
describe("DL3029", () => {
  ruleCases("DL3029", [
    {
      name: "explicit platform flag",
      expect: "catches",
      text: "FROM --platform=linux debian:jessie\n",
    },
    {
      name: "no platform flag",
      expect: "not",
      text: "FROM debian:jessie\n",
    },
    {
      name: "allows platform $BUILDPLATFORM flag",
      expect: "not",
      text: "FROM --platform=$BUILDPLATFORM debian:jessie\n",
    },
    {
      name: 'allows platform "$BUILDPLATFORM" flag',
      expect: "not",
      text: 'FROM --platform="$BUILDPLATFORM" debian:jessie\n',
    },
    {
      name: "allows platform ${BUILDPLATFORM} flag",
      expect: "not",
      text: "FROM --platform=${BUILDPLATFORM} debian:jessie\n",
    },
    {
      name: "allows platform ${BUILDPLATFORM:-} flag",
      expect: "not",
      text: "FROM --platform=${BUILDPLATFORM:-} debian:jessie\n",
    },
    {
      name: 'allows platform "${BUILDPLATFORM:-}" flag',
      expect: "not",
      text: 'FROM --platform="${BUILDPLATFORM:-}" debian:jessie\n',
    },
    {
      name: "allows platform $TARGETPLATFORM flag",
      expect: "not",
      text: "FROM --platform=$TARGETPLATFORM debian:jessie\n",
    },
  ]);
});
