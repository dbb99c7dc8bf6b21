import { describe, expect, it } from "vitest";
import { parseDockerfile } from "./dockerfile.ts";
import { parseCopy, parseFrom, parsePairs, runScriptText } from "./instructions.ts";
import { parseShell, unwrapCommand } from "./shell.ts";

describe("Dockerfile parser", () => {
  it("reads directives, escape and continuations", () => {
    const d = parseDockerfile(
      "# syntax=docker/dockerfile:1\n# escape=`\nFROM a:1\nRUN echo a `\n  # comment\n\n  b\n",
    );
    expect(d.escape).toBe("`");
    expect(d.directives.map((x) => x.name)).toEqual(["syntax", "escape"]);
    const run = d.instructions.find((i) => i.keyword === "RUN");
    expect(run?.rest).toBe("echo a  b");
    expect(run?.range).toMatchObject({ line: 4, endLine: 7 });
  });

  it("handles BOM, CRLF and heredocs", () => {
    const d = parseDockerfile(
      "\uFEFFFROM a:1\r\nRUN <<EOF\r\napt-get update\r\nEOF\r\nCOPY <<X /a\nhi\nX\n",
    );
    expect(d.instructions.map((i) => i.keyword)).toEqual(["FROM", "RUN", "COPY"]);
    const run = d.instructions[1];
    expect(run && runScriptText(run)).toBe("apt-get update");
    const copy = d.instructions[2];
    expect(copy && parseCopy(copy).target).toBe("/a");
    expect(d.problems).toEqual([]);
  });

  it("splits FROM like hadolint", () => {
    const from = parseDockerfile(
      "FROM --platform=$BUILDPLATFORM reg.io/lib/img:1.0@sha256:abc AS build\n",
    ).instructions[0];
    expect(from && parseFrom(from)).toEqual({
      registry: "reg.io",
      name: "lib/img",
      tag: "1.0",
      digest: "sha256:abc",
      alias: "build",
      platform: "$BUILDPLATFORM",
    });
  });

  it("reads ENV pairs", () => {
    const env = parseDockerfile("ENV A=1 B=\"two words\" C='x'\n").instructions[0];
    expect(env && parsePairs(env)).toEqual([
      ["A", "1"],
      ["B", "two words"],
      ["C", "x"],
    ]);
  });
});

describe("shell reader", () => {
  it("finds commands across operators, subshells and substitutions", () => {
    const s = parseShell(
      "set -e; (cd /x && make) | tee log || echo $(uname -r) `id`\nif true; then A=1 apt-get install -y a; fi",
    );
    expect(s.commands.map((c) => c.name)).toEqual([
      "set",
      "cd",
      "make",
      "tee",
      "echo",
      "uname",
      "id",
      "true",
      "apt-get",
    ]);
    expect(s.hasPipes).toBe(true);
    expect(s.commands.find((c) => c.name === "apt-get")?.flags.map((f) => f.flag)).toEqual(["y"]);
  });

  it("skips heredoc bodies and redirect targets", () => {
    const s = parseShell("cat <<EOF > /etc/x 2>&1\nrm -rf /\nEOF\necho done");
    expect(s.commands.map((c) => c.name)).toEqual(["cat", "echo"]);
    expect(s.commands[0]?.args).toEqual([]);
  });

  it("unwraps sudo and env prefixes for Slipway rules", () => {
    const c = parseShell("sudo -E env DEBIAN_FRONTEND=noninteractive apt-get install -y x")
      .commands[0];
    expect(c && unwrapCommand(c).name).toBe("apt-get");
  });
});
