import { describe, expect, it } from "vitest";
import { lint } from "../lint.ts";

const codes = (text: string, dockerignore: string | null = "") =>
  lint(text, { sources: ["slipway"], dockerignore }).map((f) => `${f.code}:${f.line}`);

describe("Slipway build-speed rules", () => {
  it("SW1001 catches COPY . before a manifest install, not after", () => {
    expect(codes("FROM node:22\nCOPY . .\nRUN npm ci\n")).toContain("SW1001:2");
    expect(codes("FROM node:22\nCOPY package.json .\nRUN npm ci\nCOPY . .\n")).not.toContain(
      "SW1001:4",
    );
  });
  it("SW1002 catches installs without cache mounts, through sudo/env prefixes", () => {
    expect(codes("FROM debian:12\nRUN sudo env A=1 apt-get install -y curl\n")).toContain(
      "SW1002:2",
    );
    expect(
      codes(
        "FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt apt-get install -y curl\n",
      ),
    ).not.toContain("SW1002:2");
  });
  it("SW1003 needs a missing .dockerignore", () => {
    expect(codes("FROM node:22\nCOPY . /app\n", null)).toContain("SW1003:2");
    expect(codes("FROM node:22\nCOPY . /app\n", ".git\n")).not.toContain("SW1003:2");
    expect(lint("FROM node:22\nCOPY . /app\n", { sources: ["slipway"] })).toEqual([]);
  });
  it("SW1004 suggests stages for OS + language installs in one stage", () => {
    const text = "FROM node:22\nRUN apt-get install -y python3\nCOPY package.json .\nRUN npm ci\n";
    expect(codes(text)).toContain("SW1004:1");
    expect(codes(`${text}FROM node:22\n`)).not.toContain("SW1004:1");
  });
  it("SW1005 catches remote ADD without checksum", () => {
    expect(codes("FROM a:1\nADD https://x/y.tgz /\n")).toContain("SW1005:2");
    expect(codes("FROM a:1\nADD --checksum=sha256:00 https://x/y.tgz /\n")).not.toContain(
      "SW1005:2",
    );
  });
  it("SW1006 catches secrets in ARG/ENV", () => {
    expect(codes("FROM a:1\nARG NPM_TOKEN\n")).toContain("SW1006:2");
    expect(codes("FROM a:1\nARG VERSION=1\n")).toEqual([]);
  });
});
