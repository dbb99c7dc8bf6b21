import { describe } from "vitest";
import { checkCases } from "./testing.ts";

// Cases from BuildKit's docs page and its frontend/dockerfile check tests.
describe("UndefinedArgInFrom", () => {
  checkCases("UndefinedArgInFrom", [
    {
      name: "docs: undeclared VARIANT",
      text: "FROM node:22${VARIANT} AS jsbuilder\n",
      expect: [[1, "FROM argument 'VARIANT' is not declared"]],
    },
    {
      name: "docs: declared VARIANT",
      text: 'ARG VARIANT="-alpine3.20"\nFROM node:22${VARIANT} AS jsbuilder\n',
      expect: [],
    },
    { name: "ARG base", text: "\nARG base=scratch\nFROM $base\nCOPY Dockerfile .\n", expect: [] },
    {
      name: "redeclared built-in",
      text: "\nARG BUILDPLATFORM=linux/amd64\nFROM --platform=$BUILDPLATFORM scratch\n",
      expect: [],
    },
    { name: "built-in", text: "\nFROM --platform=$BUILDPLATFORM scratch\n", expect: [] },
    { name: "declared without value", text: "\nARG DEBUG\nFROM scratch${DEBUG}\n", expect: [] },
    { name: "with a default", text: "\nARG DEBUG\nFROM scra${DEBUG:-tch}\n", expect: [] },
    {
      name: "alternative value",
      text: '\nARG DEBUG=""\nFROM scratch${DEBUG-@bogus}\n',
      expect: [],
    },
    {
      name: "misspelled built-in",
      text: "\nFROM --platform=$BULIDPLATFORM scratch\nCOPY Dockerfile .\n",
      expect: [[2, "FROM argument 'BULIDPLATFORM' is not declared (did you mean BUILDPLATFORM?)"]],
    },
    {
      name: "misspelled global ARG",
      text: "\nARG MY_OS=linux\nARG MY_ARCH=amd64\nFROM --platform=linux/${MYARCH} busybox\nCOPY Dockerfile .\n",
      expect: [[4, "FROM argument 'MYARCH' is not declared (did you mean MY_ARCH?)"]],
    },
    {
      name: "one of two undeclared",
      text: "\nARG tag=latest\nFROM busybox:${tag}${version} AS b\nCOPY Dockerfile .\n",
      expect: [[3, "FROM argument 'version' is not declared"]],
    },
    {
      name: "ARG in a stage is not global",
      text: "FROM alpine\nARG V=1\nFROM alpine:$V\n",
      expect: [[3, "FROM argument 'V' is not declared"]],
    },
  ]);
});
