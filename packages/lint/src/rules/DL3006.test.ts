import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3006.
describe("DL3006", () => {
  ruleCases("DL3006", [
    {
      name: "no untagged",
      expect: "catches",
      text: "FROM debian\n",
    },
    {
      name: "no untagged with name",
      expect: "catches",
      text: "FROM debian AS builder\n",
    },
    {
      name: "untagged digest is not an error",
      expect: "not",
      text: "FROM ruby@sha256:f1dbca0f5dbc9\n",
    },
    {
      name: "untagged digest is not an error",
      expect: "not",
      text: "FROM ruby:2\n",
    },
    {
      name: "using args is not an error",
      expect: "not",
      text: "FROM ${VALUE}\n",
    },
    {
      name: "local aliases are OK to be untagged",
      expect: "not",
      text: "FROM golang:1.9.3-alpine3.7 AS build\nRUN foo\nFROM build as unit-test\nRUN bar\nFROM alpine:3.7\nRUN baz\n\n",
    },
    {
      name: "local aliases are OK to be untagged",
      expect: "onbuildNot",
      text: "FROM golang:1.9.3-alpine3.7 AS build\nRUN foo\nFROM build as unit-test\nRUN bar\nFROM alpine:3.7\nRUN baz\n\n",
    },
    {
      name: "other untagged cases are not ok",
      expect: "catches",
      text: "FROM golang:1.9.3-alpine3.7 AS build\nRUN foo\nFROM node as unit-test\nRUN bar\nFROM alpine:3.7\nRUN baz\n\n",
    },
    {
      name: "other untagged cases are not ok",
      expect: "onbuildCatches",
      text: "FROM golang:1.9.3-alpine3.7 AS build\nRUN foo\nFROM node as unit-test\nRUN bar\nFROM alpine:3.7\nRUN baz\n\n",
    },
    {
      name: "scratch",
      expect: "not",
      text: "FROM scratch\n",
    },
  ]);
});
