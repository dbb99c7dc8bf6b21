import { describe } from "vitest";
import { checkCases } from "./testing.ts";

const msg = (b: string) => `Default value for ARG ${b} results in empty or invalid base image name`;

// Cases from BuildKit's docs page and its frontend/dockerfile check tests.
describe("InvalidDefaultArgInFrom", () => {
  checkCases("InvalidDefaultArgInFrom", [
    {
      name: "docs: ARG without default in the tag",
      text: "ARG TAG\nFROM busybox:${TAG}\n",
      expect: [[2, msg("busybox:${TAG}")]],
    },
    { name: "docs: ARG with a default", text: "ARG TAG=latest\nFROM busybox:${TAG}\n", expect: [] },
    {
      name: "docs: empty is fine when the name stays valid",
      text: "ARG VARIANT\nFROM busybox:stable${VARIANT}\n",
      expect: [],
    },
    {
      name: "docs: default in the expansion",
      text: "ARG TAG\nFROM alpine:${TAG:-3.14}\n",
      expect: [],
    },
    {
      name: "$VERSION",
      text: "\nARG VERSION\nFROM busybox:$VERSION\n",
      expect: [[3, msg("busybox:$VERSION")]],
    },
    {
      name: "whole image from an ARG",
      text: "\nARG IMAGE\nFROM $IMAGE\n",
      expect: [[3, msg("$IMAGE")]],
    },
    {
      name: "default that makes a bad reference",
      text: '\nARG SFX="box:"\nFROM busy${SFX}\n',
      expect: [[3, msg("busy${SFX}")]],
    },
    {
      name: "quoted default",
      text: '\nARG VERSION="latest"\nFROM busybox:${VERSION}\n',
      expect: [],
    },
    { name: "empty quoted default", text: '\nARG V=""\nFROM busybox:stable${V}\n', expect: [] },
    {
      name: "upper-case repository",
      text: "FROM Ubuntu:22.04\n",
      expect: [[1, msg("Ubuntu:22.04")]],
    },
    {
      name: "registry with port and digest",
      text: `FROM localhost:5000/a/b@sha256:${"a".repeat(64)}\n`,
      expect: [],
    },
  ]);
});
