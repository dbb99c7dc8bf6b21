import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3047.
describe("DL3047", () => {
  ruleCases("DL3047", [
    {
      name: "warns when using wget without --progress option",
      expect: "catches",
      text: "FROM node as foo\nRUN wget my.xyz\n\n",
    },
    {
      name: "warns when using wget without --progress option",
      expect: "onbuildCatches",
      text: "FROM node as foo\nRUN wget my.xyz\n\n",
    },
    {
      name: "does not warn when running with --progress option",
      expect: "not",
      text: "FROM node as foo\nRUN wget --progress=dot:giga my.xyz\n\n",
    },
    {
      name: "does not warn when running with --progress option",
      expect: "onbuildNot",
      text: "FROM node as foo\nRUN wget --progress=dot:giga my.xyz\n\n",
    },
    {
      name: "does not warn when running with -q (quiet short option) and without --progress option",
      expect: "not",
      text: "FROM node as foo\nRUN wget -q my.xyz\n\n",
    },
    {
      name: "does not warn when running with -q (quiet short option) and without --progress option",
      expect: "onbuildNot",
      text: "FROM node as foo\nRUN wget -q my.xyz\n\n",
    },
    {
      name: "does not warn when running with --quiet (quiet long option) and without --progress option",
      expect: "not",
      text: "FROM node as foo\nRUN wget --quiet my.xyz\n\n",
    },
    {
      name: "does not warn when running with --quiet (quiet long option) and without --progress option",
      expect: "onbuildNot",
      text: "FROM node as foo\nRUN wget --quiet my.xyz\n\n",
    },
    {
      name: "does not warn when running with -nv (no-verbose short option) and without --progress option",
      expect: "not",
      text: "FROM node as foo\nRUN wget -nv my.xyz\n\n",
    },
    {
      name: "does not warn when running with -nv (no-verbose short option) and without --progress option",
      expect: "onbuildNot",
      text: "FROM node as foo\nRUN wget -nv my.xyz\n\n",
    },
    {
      name: "does not warn when running with --no-verbose (no-verbose long option) and without --progress option",
      expect: "not",
      text: "FROM node as foo\nRUN wget --no-verbose my.xyz\n\n",
    },
    {
      name: "does not warn when running with --no-verbose (no-verbose long option) and without --progress option",
      expect: "onbuildNot",
      text: "FROM node as foo\nRUN wget --no-verbose my.xyz\n\n",
    },
    {
      name: "does not warn when running with --output-file (output-file long option) and without --progress option",
      expect: "not",
      text: "FROM node as foo\nRUN wget --output-file=/tmp/wget.log my.xyz\n\n",
    },
    {
      name: "does not warn when running with --output-file (output-file long option) and without --progress option",
      expect: "onbuildNot",
      text: "FROM node as foo\nRUN wget --output-file=/tmp/wget.log my.xyz\n\n",
    },
    {
      name: "does not warn when running with -o (output-file long option) and without --progress option",
      expect: "not",
      text: "FROM node as foo\nRUN wget -o /tmp/wget.log my.xyz\n\n",
    },
    {
      name: "does not warn when running with -o (output-file long option) and without --progress option",
      expect: "onbuildNot",
      text: "FROM node as foo\nRUN wget -o /tmp/wget.log my.xyz\n\n",
    },
    {
      name: "does not warn when running with --append-output (append-output long option) and without --progress option",
      expect: "not",
      text: "FROM node as foo\nRUN wget --append-output=/tmp/wget.log my.xyz\n\n",
    },
    {
      name: "does not warn when running with --append-output (append-output long option) and without --progress option",
      expect: "onbuildNot",
      text: "FROM node as foo\nRUN wget --append-output=/tmp/wget.log my.xyz\n\n",
    },
    {
      name: "does not warn when running with -a (append-output long option) and without --progress option",
      expect: "not",
      text: "FROM node as foo\nRUN wget -a /tmp/wget.log my.xyz\n\n",
    },
    {
      name: "does not warn when running with -a (append-output long option) and without --progress option",
      expect: "onbuildNot",
      text: "FROM node as foo\nRUN wget -a /tmp/wget.log my.xyz\n\n",
    },
  ]);
});
