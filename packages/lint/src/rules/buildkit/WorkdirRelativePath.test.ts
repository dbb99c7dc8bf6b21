import { describe } from "vitest";
import { checkCases } from "./testing.ts";

const msg = (p: string) =>
  `Relative workdir "${p}" can have unexpected results if the base image changes`;

// Cases from BuildKit's docs page and its frontend/dockerfile check tests.
describe("WorkdirRelativePath", () => {
  checkCases("WorkdirRelativePath", [
    {
      name: "docs: relative path",
      text: "FROM nginx AS web\nWORKDIR usr/share/nginx/html\nCOPY public .\n",
      expect: [[2, msg("usr/share/nginx/html")]],
    },
    {
      name: "docs: absolute path",
      text: "FROM nginx AS web\nWORKDIR /usr/share/nginx/html\nCOPY public .\n",
      expect: [],
    },
    { name: "app/", text: "\nFROM scratch\nWORKDIR app/\n", expect: [[3, msg("app/")]] },
    {
      name: "absolute WORKDIR in the base stage",
      text: "\nFROM scratch AS a\nWORKDIR /app\n\nFROM a AS b\nWORKDIR subdir/\n",
      expect: [],
    },
    {
      name: "skipped by a check comment",
      text: "\nFROM scratch\n# check=skip=WorkdirRelativePath\nWORKDIR app/\n",
      expect: [],
    },
    {
      name: "only the first WORKDIR counts",
      text: "FROM scratch\nWORKDIR /a\nWORKDIR b\n",
      expect: [],
    },
    { name: "expanded first", text: "FROM scratch\nARG D=/srv\nWORKDIR $D/app\n", expect: [] },
    {
      name: "Windows drive path",
      text: "# escape=`\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nWORKDIR C:\\go\n",
      expect: [],
    },
    { name: "unknown base image variable", text: "FROM node\nWORKDIR $HOME/app\n", expect: [] },
  ]);
});
