import { describe, expect, it } from "vitest";
import { digest, step } from "./test-fixtures";
import { invalidationReason, whySlow } from "./why-slow";

describe("whySlow", () => {
  const steps = [
    step(1, { name: "[internal] load build context", stage: null, start: 0, end: 2 }),
    step(2, {
      name: "[build 1/4] FROM node:22",
      dockerfileLine: 3,
      cached: true,
      start: 2,
      end: 2,
    }),
    step(3, {
      name: "[build 2/4] COPY package.json ./",
      dockerfileLine: 5,
      cached: true,
      start: 2,
      end: 2,
    }),
    step(4, { name: "[build 3/4] COPY  . .", dockerfileLine: 6, start: 2, end: 3 }),
    step(5, { name: "[build 4/4] RUN npm run build", dockerfileLine: 7, start: 3, end: 63 }),
    step(6, {
      name: "[assets 1/2] FROM alpine",
      stage: "assets",
      dockerfileLine: 9,
      start: 0,
      end: 8,
    }),
    step(7, {
      name: "[assets 2/2] RUN make",
      stage: "assets",
      dockerfileLine: 10,
      start: 8,
      end: 10,
    }),
  ];
  const p50 = new Map([
    ["RUN npm run build", 20_000],
    ["RUN make", 1_500],
    ["COPY . .", 900],
  ]);

  it("names the first non-cached step of each stage and why it was invalidated", () => {
    const { misses } = whySlow(steps, p50);
    expect(
      misses.map((m) => [m.lane, m.name, m.dockerfileLine, m.cachedBefore, m.ranAfter]),
    ).toEqual([
      ["build", "COPY . .", 6, 2, 2],
      ["assets", "FROM alpine", 9, 0, 2],
    ]);
    expect(misses[0]?.reason).toMatch(/copies the whole build context/);
    expect(misses[1]?.reason).toMatch(/base image/);
  });

  it("lists the steps most over their p50, ignoring small overruns and cached steps", () => {
    const { overBaseline } = whySlow(steps, p50);
    expect(overBaseline).toEqual([
      {
        digest: digest(5),
        name: "RUN npm run build",
        durationMs: 60_000,
        p50Ms: 20_000,
        overMs: 40_000,
        ratio: 3,
      },
    ]);
  });

  it("explains stage copies and changed commands differently", () => {
    const fromStage = step(1, { name: "[app 3/5] COPY --from=build /out /app" });
    expect(invalidationReason(fromStage, 2)).toMatch(/another stage/);
    const run = step(2, { name: "[app 4/5] RUN apt-get update" });
    expect(invalidationReason(run, 3)).toMatch(/command itself changed/);
    expect(invalidationReason(run, 0)).toMatch(/ran from its first step/);
    expect(invalidationReason(step(3, { name: "[app 2/5] COPY src/ ./src" }), 1)).toMatch(
      /Files copied by `COPY src\/ .\/src` changed/,
    );
  });
});
