import { describe, expect, it } from "vitest";
import { buildEnv, DEFAULT_MAX_CONTEXT_BYTES } from "./instance.server";

describe("buildEnv", () => {
  it("reads the context size limit from SLIPWAY_MAX_CONTEXT_BYTES (0: none), 512 MiB by default", () => {
    expect(buildEnv({}).maxContextBytes).toBe(DEFAULT_MAX_CONTEXT_BYTES);
    expect(DEFAULT_MAX_CONTEXT_BYTES).toBe(512 * 1024 * 1024);
    expect(buildEnv({ SLIPWAY_MAX_CONTEXT_BYTES: "" }).maxContextBytes).toBe(
      DEFAULT_MAX_CONTEXT_BYTES,
    );
    expect(buildEnv({ SLIPWAY_MAX_CONTEXT_BYTES: "1048576" }).maxContextBytes).toBe(1_048_576);
    expect(buildEnv({ SLIPWAY_MAX_CONTEXT_BYTES: "0" }).maxContextBytes).toBe(0);
  });

  it("refuses a limit that is not a number of bytes, naming the variable", () => {
    expect(() => buildEnv({ SLIPWAY_MAX_CONTEXT_BYTES: "1GB" })).toThrow(
      /SLIPWAY_MAX_CONTEXT_BYTES: must be a number of bytes/,
    );
  });
});
