import { buildkitRule, Findings, model } from "./util.ts";

export const MaintainerDeprecated = buildkitRule(
  "MaintainerDeprecated",
  "The MAINTAINER instruction is deprecated, use a label instead to define an image author",
  {
    explanation:
      "Set the `org.opencontainers.image.authors` label instead. (hadolint reports the same as DL4000.)",
    examples: {
      bad: "FROM alpine\nMAINTAINER moby@example.com",
      good: 'FROM alpine\nLABEL org.opencontainers.image.authors="moby@example.com"',
    },
    check(ctx) {
      const m = model(ctx);
      const f = new Findings(m, "MaintainerDeprecated");
      for (const i of ctx.instructions)
        if (i.keyword === "MAINTAINER")
          f.add(i.range.line, "Maintainer instruction is deprecated in favor of using label", i);
      return f.out;
    },
  },
);
