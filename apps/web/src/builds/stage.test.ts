import { describe, expect, it } from "vitest";
import { singleStageName, stageOf } from "./service.server";

describe("the stage of a step in telemetry", () => {
  it("names a single-stage Dockerfile's stage by its AS name, else stage-0", () => {
    expect(singleStageName("FROM slipway/busybox:1\nRUN true\n")).toBe("stage-0");
    expect(singleStageName("# syntax\nfrom --platform=linux/amd64 node:20 as Build\n")).toBe(
      "build",
    );
  });

  it("puts unprefixed Dockerfile steps in the only stage, internal vertices in none", () => {
    expect(stageOf({ stepIndex: 2 }, "stage-0")).toBe("stage-0");
    expect(stageOf({ stage: "build", stepIndex: 2 }, "stage-0")).toBe("build");
    expect(stageOf({ stage: "internal" }, "stage-0")).toBeNull();
    expect(stageOf({}, "stage-0")).toBeNull();
  });
});
