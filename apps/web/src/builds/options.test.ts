import { describe, expect, it } from "vitest";
import { BuildOptionsError, lintThreshold, parseBuildOptions } from "./options";

const parse = (query: string, platforms = ["linux/amd64", "linux/arm64"]) =>
  parseBuildOptions(new URLSearchParams(query), platforms);

describe("parseBuildOptions", () => {
  it("reads every option, with the project's first platform by default", () => {
    expect(
      parse(
        "dockerfile=docker/Dockerfile&tag=acme/web:1&tag=acme/web:latest&build-arg=A=1&build-arg=B=x=y&target=prod&no-cache=1&lint=1",
      ),
    ).toEqual({
      dockerfile: "docker/Dockerfile",
      tags: ["acme/web:1", "acme/web:latest"],
      platforms: ["linux/amd64"],
      target: "prod",
      buildArgs: { A: "1", B: "x=y" },
      noCache: true,
      lint: true,
      lintFailOn: null,
    });
    expect(parse("platform=linux/arm64,linux/amd64").platforms).toEqual([
      "linux/arm64",
      "linux/amd64",
    ]);
    expect(parse("lint-fail-on=warning").lint).toBe(true);
    expect(parse("tag=127.0.0.1:5000/acme/web:1&push=1").push).toBe(true);
    expect(parse("tag=acme/web:1").push).toBeUndefined();
  });

  it("names the parameter that is wrong", () => {
    const cases: [string, string, RegExp][] = [
      [
        "platform=linux/s390x",
        "platform",
        /unknown platform linux\/s390x: this project builds for linux\/amd64, linux\/arm64/,
      ],
      ["platform=amd64", "platform", /invalid platform "amd64"/],
      ["tag=Bad Tag", "tag", /invalid tag/],
      ["build-arg=NOVALUE", "build-arg", /expected NAME=value/],
      ["dockerfile=../x", "dockerfile", /inside the context/],
      ["push=1", "push", /push needs at least one tag/],
      ["lint-fail-on=style", "lint-fail-on", /error, warning or none/],
      ["no-cache=maybe", "no-cache", /1 or 0/],
    ];
    for (const [query, parameter, message] of cases) {
      try {
        parse(query);
        expect.fail(`${query} was accepted`);
      } catch (error) {
        expect(error).toBeInstanceOf(BuildOptionsError);
        expect((error as BuildOptionsError).parameter).toBe(parameter);
        expect((error as Error).message).toMatch(message);
      }
    }
  });
});

describe("lintThreshold", () => {
  it("takes the stricter of the request and the project policy", () => {
    expect(lintThreshold({ lintFailOn: null }, "REPORT")).toBeNull();
    expect(lintThreshold({ lintFailOn: null }, "FAIL_ON_ERROR")).toBe("error");
    expect(lintThreshold({ lintFailOn: "warning" }, "FAIL_ON_ERROR")).toBe("warning");
    expect(lintThreshold({ lintFailOn: "error" }, "FAIL_ON_WARNING")).toBe("warning");
    expect(lintThreshold({ lintFailOn: "none" }, "FAIL_ON_ERROR")).toBe("error");
    expect(lintThreshold({ lintFailOn: "none" }, "REPORT")).toBeNull();
  });
});
