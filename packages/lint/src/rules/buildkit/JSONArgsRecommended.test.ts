import { describe } from "vitest";
import { checkCases } from "./testing.ts";

const msg = (i: string) =>
  `JSON arguments recommended for ${i} to prevent unintended behavior related to OS signals`;

// Cases from BuildKit's docs page and its frontend/dockerfile check tests.
describe("JSONArgsRecommended", () => {
  checkCases("JSONArgsRecommended", [
    {
      name: "docs: shell-form ENTRYPOINT",
      text: "FROM alpine\nENTRYPOINT my-program start\n",
      expect: [[2, msg("ENTRYPOINT")]],
    },
    {
      name: "docs: exec form",
      text: 'FROM alpine\nENTRYPOINT ["my-program", "start"]\n',
      expect: [],
    },
    {
      name: "docs: wrapper script",
      text: 'FROM alpine\nRUN apk add bash\nCOPY --chmod=755 <<EOT /entrypoint.sh\n#!/usr/bin/env bash\nset -e\nmy-background-process &\nmy-program start\nEOT\nENTRYPOINT ["/entrypoint.sh"]\n',
      expect: [],
    },
    {
      name: "docs: explicit SHELL",
      text: 'FROM alpine\nRUN apk add bash\nSHELL ["/bin/bash", "-c"]\nENTRYPOINT echo "hello world"\n',
      expect: [],
    },
    { name: "CMD", text: "\nFROM scratch\nCMD mycommand\n", expect: [[3, msg("CMD")]] },
    {
      name: "keyword as written",
      text: "from scratch\ncmd mycommand\n",
      expect: [[2, msg("cmd")]],
    },
    {
      name: "SHELL then CMD",
      text: '\nFROM scratch\nSHELL ["/usr/bin/customshell"]\nCMD mycommand\n',
      expect: [],
    },
    {
      name: "SHELL in the base stage",
      text: '\nFROM scratch AS base\nSHELL ["/usr/bin/customshell"]\n\nFROM base\nENTRYPOINT mycommand\n',
      expect: [],
    },
    {
      name: "skipped by a check comment",
      text: "\nFROM scratch\n# check=skip=JSONArgsRecommended\nCMD mycommand\n",
      expect: [],
    },
  ]);
});
