import { describe } from "vitest";
import { checkCases } from "./testing.ts";

const msg = (v: string, s = "") =>
  `Usage of undefined variable '$${v}'${s ? ` (did you mean $${s}?)` : ""}`;

// Cases from BuildKit's docs page and its frontend/dockerfile check tests.
describe("UndefinedVar", () => {
  checkCases("UndefinedVar", [
    {
      name: "docs: undefined build argument",
      text: "FROM alpine AS base\nCOPY $foo .\n",
      expect: [[2, msg("foo")]],
    },
    {
      name: "docs: declared build argument",
      text: "FROM alpine AS base\nARG foo\nCOPY $foo .\n",
      expect: [],
    },
    {
      name: "docs: undefined in an ARG default",
      text: "FROM alpine AS base\nARG VERSION=$foo\n",
      expect: [[2, msg("foo")]],
    },
    {
      name: "docs: defined by the base image",
      text: "FROM python AS base\nARG VERSION=$PYTHON_VERSION\n",
      expect: [],
    },
    {
      name: "docs: typo of PATH",
      text: "FROM alpine\nENV PATH=$PAHT:/app/bin\n",
      expect: [[2, msg("PAHT", "PATH")]],
    },
    {
      name: "ARG without value",
      text: "\nFROM scratch\nARG foo\nCOPY Dockerfile${foo} .\n",
      expect: [],
    },
    {
      name: "ARG in the base stage",
      text: "\nFROM alpine AS base\nARG foo=Dockerfile\n\nFROM base\nCOPY $foo .\n",
      expect: [],
    },
    {
      name: "RUN is expanded by the shell",
      text: "\nFROM alpine\nRUN echo $PATH $nope\n",
      expect: [],
    },
    {
      name: "used before the ARG",
      text: "\nFROM alpine\nCOPY $foo .\nARG foo=bar\nRUN echo $foo\n",
      expect: [[3, msg("foo")]],
    },
    {
      name: "misspelled ARG",
      text: "\nFROM alpine\nARG DIR_BINARIES=binaries/\nARG DIR_ASSETS=assets/\nARG DIR_CONFIG=config/\nCOPY $DIR_ASSET .\n",
      expect: [[6, msg("DIR_ASSET", "DIR_ASSETS")]],
    },
    {
      name: "GOPATH may come from the image",
      text: "FROM golang:1.22\nWORKDIR $GOPATH/src\n",
      expect: [],
    },
    {
      name: "PATH typo",
      text: "\nFROM alpine\nENV PATH=$PAHT:/tmp/bin\n",
      expect: [[3, msg("PAHT", "PATH")]],
    },
    {
      name: "first stage of two",
      text: "\nFROM scratch AS first\nCOPY $foo .\n\nFROM scratch AS second\nCOPY $bar .\n",
      expect: [
        [3, msg("foo")],
        [6, msg("bar")],
      ],
    },
    {
      name: "scratch has no ENV but PATH",
      text: "FROM scratch\nCOPY ${HOME}/x /\nENV P=$PATH\n",
      expect: [[2, msg("HOME")]],
    },
    {
      name: "baseImageEnv supplies an image's ENV",
      text: "FROM node:22\nWORKDIR $NODE_HOME\nCOPY $YARN_VERSION .\n",
      options: { baseImageEnv: { "node:22": ["NODE_VERSION=22.1.0", "YARN_VERSION=1.22.19"] } },
      expect: [[2, msg("NODE_HOME")]],
    },
    {
      name: "ENV values use the ENV before the instruction",
      text: "FROM scratch\nENV a=1 b=$a\n",
      expect: [[2, msg("a")]],
    },
    {
      name: "a default does not define the variable",
      text: "FROM scratch\nCOPY ${src:-.} /\n",
      expect: [[2, msg("src")]],
    },
    {
      name: "skipped by a check comment",
      text: "FROM scratch\n# check=skip=UndefinedVar\nCOPY $foo .\n",
      expect: [],
    },
    {
      name: "unquoted COPY heredoc bodies are expanded",
      text: "FROM scratch\nCOPY <<EOF /x\n$nope\nEOF\nCOPY <<'EOF' /y\n$quoted\nEOF\n",
      expect: [[2, msg("nope")]],
    },
    {
      name: "RUN mount options",
      text: "FROM alpine\nRUN --mount=type=cache,target=$dir true\n",
      expect: [[2, msg("dir")]],
    },
  ]);
});
