import { describe, expect, it } from "vitest";
import { configFromFile, parseConfigFile } from "./config.ts";
import { lint } from "./lint.ts";

describe(".hadolint.yaml", () => {
  it("reads hadolint's keys", () => {
    const cfg = configFromFile(
      parseConfigFile(
        "ignored: [DL3008]\noverride:\n  error: [DL3007]\nfailure-threshold: warning\ntrustedRegistries: [r.example.com]\n",
      ),
    );
    expect(cfg.lint.ignored).toEqual(["DL3008"]);
    expect(cfg.lint.override.error).toEqual(["DL3007"]);
    expect(cfg.failureThreshold).toBe("warning");
    expect(cfg.lint.trustedRegistries).toEqual(["r.example.com"]);
    expect(cfg.lint.sources).toBeUndefined();
  });

  it("hadolint-compat: true restricts the output to hadolint's DL codes", () => {
    const cfg = configFromFile(parseConfigFile("hadolint-compat: true\n"));
    expect(cfg.lint.sources).toEqual(["hadolint"]);
    const text = "FROM debian:latest as Build\nMAINTAINER me\n";
    expect(lint(text, cfg.lint).map((f) => f.code)).toEqual(["DL3007", "DL4000"]);
    expect(lint(text).map((f) => f.code)).toContain("FromAsCasing");
  });

  it("BuildKit check names work in ignored and override", () => {
    const text = "FROM debian:12 as build\n";
    expect(lint(text, { ignored: ["FromAsCasing"] }).map((f) => f.code)).not.toContain(
      "FromAsCasing",
    );
    expect(lint(text, { override: { error: ["FromAsCasing"] } })).toContainEqual(
      expect.objectContaining({ code: "FromAsCasing", level: "error" }),
    );
  });
});
