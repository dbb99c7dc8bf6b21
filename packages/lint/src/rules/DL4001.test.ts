import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL4001.
describe("DL4001", () => {
  ruleCases("DL4001", [
    {
      name: "warns when using both wget and curl",
      expect: "catches",
      text: "FROM node as foo\nRUN wget my.xyz\nRUN curl localhost\n\n",
    },
    {
      name: "warns when using both wget and curl in same instruction",
      expect: "catches",
      text: "FROM node as foo\nRUN wget my.xyz && curl localhost\n\n",
    },
    {
      name: "does not warn when using only wget",
      expect: "not",
      text: "FROM node as foo\nRUN wget my.xyz\n\n",
    },
    {
      name: "does not warn when using both curl and wget in different stages",
      expect: "not",
      text: "FROM node as foo\nRUN wget my.xyz\nFROM scratch\nRUN curl localhost\n\n",
    },
    {
      name: "does not warns when using both, on a single stage",
      expect: "catches",
      text: "FROM node as foo\nRUN wget my.xyz\nRUN curl localhost\nFROM scratch\nRUN curl localhost\n\n",
    },
  ]);
});
