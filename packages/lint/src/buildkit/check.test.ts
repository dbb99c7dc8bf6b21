import { describe, expect, it } from "vitest";
import { lint } from "../lint.ts";
import { checkConfigFromComments, parseCheckOptions } from "./check.ts";

const codes = (text: string, options = {}) =>
  lint(text, { sources: ["buildkit"], ...options }).map((f) => `${f.line}:${f.code}:${f.level}`);

describe("check directive", () => {
  it("parses BuildKit's option syntax", () => {
    expect(parseCheckOptions("skip=A, B;error=true")).toEqual({
      skipAll: false,
      skip: new Set(["A", "B"]),
      error: true,
    });
    expect(parseCheckOptions("skip=all")?.skipAll).toBe(true);
    expect(parseCheckOptions("error=maybe")).toBeNull();
    expect(parseCheckOptions("nope")).toBeNull();
    expect(parseCheckOptions("")).toEqual({ skipAll: false, skip: new Set(), error: false });
  });
  it("reads the first check comment, cut at a space", () => {
    expect(checkConfigFromComments(["hello", "check=skip=X // why"])?.skip).toEqual(new Set(["X"]));
    expect(checkConfigFromComments(["just words"])).toBeNull();
  });

  // BuildKit's testRuleCheckOption cases.
  const text = "FROM scratch as base\ncopy Dockerfile .\n";
  it("skip=all", () => {
    expect(codes(`#check=skip=all\n${text}`)).toEqual([]);
    expect(codes(`#check=skip=all;error=true\n${text}`)).toEqual([]);
  });
  it("skip a list", () => {
    expect(codes(`#check=skip=ConsistentInstructionCasing,FromAsCasing\n${text}`)).toEqual([]);
    expect(codes(`#check=skip=ConsistentInstructionCasing\n${text}`)).toEqual([
      "2:FromAsCasing:warning",
    ]);
  });
  it("error=true makes the findings errors", () => {
    expect(codes(`#check=skip=ConsistentInstructionCasing;error=true\n${text}`)).toEqual([
      "2:FromAsCasing:error",
    ]);
  });
  it("the check option replaces the directive (BUILDKIT_DOCKERFILE_CHECK)", () => {
    expect(
      codes(`#check=skip=all\n${text}`, { check: "skip=ConsistentInstructionCasing;error=true" }),
    ).toEqual(["2:FromAsCasing:error"]);
    expect(codes(`#check=error=true\n${text}`, { check: "skip=all" })).toEqual([]);
  });
  it("does not touch hadolint rules", () => {
    const f = lint("# check=skip=all;error=true\nFROM debian:latest\nMAINTAINER x\n");
    expect(f.filter((x) => x.code.startsWith("DL")).map((x) => `${x.code}:${x.level}`)).toEqual([
      "DL3007:warning",
      "DL4000:error",
    ]);
  });
});
