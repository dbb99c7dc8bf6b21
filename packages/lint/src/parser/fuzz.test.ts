import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lint } from "../lint.ts";
import { parseDockerfile } from "./dockerfile.ts";
import { parseShell } from "./shell.ts";

const fragments = [
  "FROM ",
  "RUN ",
  "COPY ",
  "ADD ",
  "ENV ",
  "ARG ",
  "LABEL ",
  "ONBUILD ",
  "HEALTHCHECK CMD ",
  "EXPOSE ",
  "USER ",
  "WORKDIR ",
  "SHELL ",
  "CMD ",
  "# hadolint ignore=DL3008\n",
  "# escape=`\n",
  "\\\n",
  "`\n",
  "<<EOF\n",
  "EOF\n",
  "<<-'X'\n",
  "\tX\n",
  '["a", "b"]',
  "&&",
  "||",
  "|",
  ";",
  "$(",
  ")",
  "${A:-b}",
  "'",
  '"',
  "--mount=type=cache,target=/x ",
  "--from=a ",
  "AS b ",
  "apt-get install -y a=1 ",
  "\r\n",
  "\n",
  " ",
  "\u0000",
  "\uFEFF",
  "é",
  "{{ x }}",
];

describe("parser robustness (fast-check)", () => {
  it("never throws on Dockerfile-like input", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...fragments), { maxLength: 60 }), (parts) => {
        const text = parts.join("");
        const findings = lint(text);
        for (const f of findings) expect(f.message).not.toMatch(/^internal error/);
      }),
      { numRuns: 400 },
    );
  });

  it("never throws on arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        parseDockerfile(text);
        parseShell(text);
        lint(text);
      }),
      { numRuns: 400 },
    );
  });

  it("handles bad input with a finding, not a crash", () => {
    expect(lint("")).toEqual([]);
    expect(lint("\u0000\u0001binary").map((f) => f.code)).toEqual(["DL1000"]);
    const unterminated = lint("FROM a:1\nRUN <<EOF\necho hi\n");
    expect(unterminated.some((f) => f.code === "DL1000" && f.line === 2)).toBe(true);
    expect(lint("FROM a:1\nFOO bar\n").find((f) => f.code === "DL1000")?.line).toBe(2);
  });

  it("handles huge lines in linear time", () => {
    const big = `FROM a:1\nRUN echo ${"x ".repeat(200_000)}&& apt-get install -y b\n`;
    const t = performance.now();
    lint(big);
    lint(`FROM a:1\nRUN ${"$(".repeat(5000)}`);
    lint(`FROM a:1\nENV ${'a="b '.repeat(20000)}`);
    expect(performance.now() - t).toBeLessThan(5000);
  });
});
