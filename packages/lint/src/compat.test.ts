import { describe, expect, it } from "vitest";
import { lint } from "./lint.ts";

// The BuildKit checks and Slipway rules add findings under their own codes; hadolint's DL
// findings (what hadolint's JSON output holds) are the same with or without them.
const samples = [
  "FROM debian:latest as Build\nMAINTAINER me@example.com\nRUN apt-get update && apt-get install curl\nENV A 1\nCMD node server.js\n",
  "FROM node:22\nWORKDIR app\nCOPY . .\nRUN npm install -g typescript\nEXPOSE 80:80/TCP\nARG NPM_TOKEN\n",
  "# check=skip=all;error=true\nFROM alpine\nRUN apk add curl && cd /tmp\n",
];

describe("hadolint compatibility of the default output", () => {
  for (const [n, text] of samples.entries())
    it(`sample ${n + 1}: DL findings equal the hadolint-only run`, () => {
      const all = lint(text).filter((f) => f.code.startsWith("DL"));
      const hadolintOnly = lint(text, { sources: ["hadolint"] });
      expect(hadolintOnly.length).toBeGreaterThan(0);
      expect(all).toEqual(hadolintOnly);
      expect(hadolintOnly.every((f) => f.code.startsWith("DL"))).toBe(true);
    });
});
