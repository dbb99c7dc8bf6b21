import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../bin/slipway.js", import.meta.url));

function runCli(args: string[], stdin?: string) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile("node", [bin, ...args], (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
    child.stdin?.end(stdin ?? "");
  });
}

// The real binary, run as a user would, on Dockerfiles in a temporary folder.
describe("slipway lint", () => {
  let dir: string;
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "slipway-lint-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("finds DL3007 in FROM debian:latest", async () => {
    const result = await runCli(["lint", file("latest.Dockerfile", "FROM debian:latest\n")]);
    expect(result.stdout).toMatch(/latest\.Dockerfile:1 DL3007 warning: Using latest/);
    expect(result.code).toBe(1);
  });

  it("prints parseable JSON with --format json", async () => {
    const path = file("json.Dockerfile", "FROM debian:latest\nMAINTAINER me@example.com\n");
    const result = await runCli(["lint", "--format", "json", path]);
    const findings = JSON.parse(result.stdout) as { code: string; level: string; line: number }[];
    expect(findings).toContainEqual(expect.objectContaining({ code: "DL3007", line: 1 }));
    expect(findings).toContainEqual(
      expect.objectContaining({ code: "DL4000", level: "error", line: 2 }),
    );
    // BuildKit's check for the same problem, under BuildKit's name.
    expect(findings).toContainEqual(expect.objectContaining({ code: "MaintainerDeprecated" }));
  });

  it("exits 1 on an error finding and 0 on a clean file", async () => {
    const bad = file("error.Dockerfile", "FROM debian:12.7\nMAINTAINER me@example.com\n");
    const failed = await runCli(["lint", "--failure-threshold", "error", bad]);
    expect(failed.stdout).toContain("DL4000 error");
    expect(failed.code).toBe(1);

    const clean = file("clean.Dockerfile", 'FROM debian:12.7\nCMD ["bash"]\n');
    const passed = await runCli(["lint", clean]);
    expect(passed.stdout).toBe("");
    expect(passed.code).toBe(0);
  });

  it("applies the failure threshold", async () => {
    const path = file("warning.Dockerfile", "FROM debian:latest\n");
    expect((await runCli(["lint", "-t", "error", path])).code).toBe(0);
    expect((await runCli(["lint", "-t", "warning", path])).code).toBe(1);
  });

  it("reads the Dockerfile from stdin with -", async () => {
    const result = await runCli(["lint", "--format", "json", "-"], "FROM debian:latest\n");
    const findings = JSON.parse(result.stdout) as { code: string; file: string }[];
    expect(findings).toEqual([expect.objectContaining({ code: "DL3007", file: "-" })]);
    expect(result.code).toBe(1);
  });

  it("reads a hadolint configuration file", async () => {
    const config = file(".hadolint.yaml", "ignored:\n  - DL3007\n");
    const path = file("ignored.Dockerfile", "FROM debian:latest\n");
    const result = await runCli(["lint", "--config", config, path]);
    expect(result.stdout).toBe("");
    expect(result.code).toBe(0);
  });

  it("restricts the output to hadolint's codes with --hadolint-compat", async () => {
    const path = file("compat.Dockerfile", "FROM debian:latest as Build\n");
    const all = JSON.parse((await runCli(["lint", "-f", "json", path])).stdout) as {
      code: string;
    }[];
    const compat = JSON.parse(
      (await runCli(["lint", "-f", "json", "--hadolint-compat", path])).stdout,
    ) as { code: string }[];
    expect(all.map((f) => f.code)).toContain("FromAsCasing");
    expect(compat.map((f) => f.code)).toEqual(["DL3007"]);
  });

  it("explains usage errors with exit code 2 and lists the lint options in --help", async () => {
    const none = await runCli(["lint"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("slipway lint: no Dockerfile given");
    const help = await runCli(["lint", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--failure-threshold");
    expect((await runCli(["--help"])).stdout).toContain("lint");
  });
});
