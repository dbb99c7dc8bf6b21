import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { configPath, resolveCredentials, writeConfig } from "./config.ts";

describe("CLI config", () => {
  const homes: string[] = [];
  afterAll(async () => {
    for (const home of homes) await rm(home, { recursive: true, force: true });
  });

  it("stores the token readable by its owner only; env and flags win over it", async () => {
    const home = await mkdtemp(join(tmpdir(), "slipway-config-"));
    homes.push(home);
    const env = { HOME: home };
    const path = await writeConfig({ url: "http://slipway.test:3000", token: "slw_saved" }, env);
    expect(path).toBe(join(home, ".config/slipway/config.json"));
    expect(configPath({ HOME: home, XDG_CONFIG_HOME: "/x" })).toBe("/x/slipway/config.json");
    expect((await stat(path)).mode & 0o777).toBe(0o600);

    expect(await resolveCredentials({}, env)).toEqual({
      url: "http://slipway.test:3000",
      token: "slw_saved",
      project: undefined,
    });
    expect(
      await resolveCredentials(
        { url: "http://flag.test/" },
        { ...env, SLIPWAY_TOKEN: "slw_ci", SLIPWAY_PROJECT: "web" },
      ),
    ).toEqual({ url: "http://flag.test", token: "slw_ci", project: "web" });
    await expect(resolveCredentials({ url: "nope" }, env)).rejects.toThrow(/invalid Slipway URL/);
  });
});
