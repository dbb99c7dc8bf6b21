import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3061.
describe("DL3061", () => {
  ruleCases("DL3061", [
    {
      name: "warn: label before from",
      expect: "catches",
      text: "LABEL foo=bar\nFROM foo\n",
    },
    {
      name: "warn: label before from",
      expect: "onbuildCatches",
      text: "LABEL foo=bar\nFROM foo\n",
    },
    {
      name: "don't warn: from before label",
      expect: "not",
      text: "FROM foo\nLABEL foo=bar\n",
    },
    {
      name: "don't warn: from before label",
      expect: "onbuildNot",
      text: "FROM foo\nLABEL foo=bar\n",
    },
    {
      name: "don't warn: ARG then FROM then LABEL",
      expect: "not",
      text: "ARG A=B\nFROM foo\nLABEL foo=bar\n",
    },
    {
      name: "don't warn: ARG then FROM then LABEL",
      expect: "onbuildNot",
      text: "ARG A=B\nFROM foo\nLABEL foo=bar\n",
    },
    {
      name: "don't warn: pragma before FROM",
      expect: "not",
      text: "# syntax = docker/dockerfile:1.0-experimental\nFROM node:16-alpine3.13\n",
    },
    {
      name: "don't warn: pragma before FROM",
      expect: "onbuildNot",
      text: "# syntax = docker/dockerfile:1.0-experimental\nFROM node:16-alpine3.13\n",
    },
    {
      name: "don't warn: FROM then ARG then RUN",
      expect: "not",
      text: "FROM foo\nARG A=B\nRUN echo bla\n",
    },
  ]);
});
