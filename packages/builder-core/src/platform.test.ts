import { describe, expect, it } from "vitest";
import {
  isNativePlatform,
  normalizePlatform,
  PlatformUnsupportedError,
  routePlatform,
} from "./platform.ts";
import { classifyPushError, splitReference } from "./push.ts";

describe("platforms", () => {
  it("normalizes OCI platform spellings", () => {
    expect(normalizePlatform("linux/arm64/v8")).toBe("linux/arm64");
    expect(normalizePlatform("linux/aarch64")).toBe("linux/arm64");
    expect(normalizePlatform("linux/x86_64")).toBe("linux/amd64");
    expect(normalizePlatform("linux/arm")).toBe("linux/arm/v7");
    expect(isNativePlatform("linux/amd64", "linux/amd64")).toBe(true);
    expect(isNativePlatform("linux/arm64", "linux/amd64")).toBe(false);
  });

  it("routes native first, then a remote native engine, else fails naming the platform", () => {
    const remotes = [{ id: "arm-box", platform: "linux/arm64/v8" }];
    expect(routePlatform("linux/amd64", remotes, "linux/amd64")).toEqual({
      kind: "native",
      platform: "linux/amd64",
    });
    expect(routePlatform("linux/arm64", remotes, "linux/amd64")).toMatchObject({
      kind: "remote",
      remote: { id: "arm-box" },
    });
    // nothing registers an emulator for a made-up architecture
    expect(() => routePlatform("linux/nosucharch", remotes, "linux/amd64")).toThrow(
      PlatformUnsupportedError,
    );
    expect(() => routePlatform("linux/nosucharch", [], "linux/amd64")).toThrow(
      /no builder for platform linux\/nosucharch/,
    );
  });
});

describe("push helpers", () => {
  it("splits references and classifies registry errors", () => {
    expect(splitReference("127.0.0.1:5000/team/app:1")).toEqual({
      repository: "127.0.0.1:5000/team/app",
      tag: "1",
    });
    expect(splitReference("127.0.0.1:5000/team/app")).toEqual({
      repository: "127.0.0.1:5000/team/app",
      tag: "latest",
    });
    expect(
      classifyPushError(
        'Get "http://127.0.0.1:1/v2/": dial tcp 127.0.0.1:1: connect: connection refused',
      ),
    ).toBe("registry-unreachable");
    expect(classifyPushError("unauthorized: authentication required")).toBe("registry-auth");
    expect(classifyPushError("manifest invalid")).toBe("push-failed");
  });
});
