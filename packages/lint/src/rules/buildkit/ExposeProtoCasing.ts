import { splitPort } from "./expose.ts";
import { buildkitRule, Findings, model } from "./util.ts";

export const ExposeProtoCasing = buildkitRule(
  "ExposeProtoCasing",
  "Protocol in EXPOSE instruction should be lowercase",
  {
    explanation: "Write the protocol of an exposed port in lower case: `80/tcp`, `53/udp`.",
    examples: { bad: "FROM alpine\nEXPOSE 80/TcP", good: "FROM alpine\nEXPOSE 80/tcp" },
    check(ctx) {
      const m = model(ctx);
      const f = new Findings(m, "ExposeProtoCasing");
      for (const c of m.commands) {
        if (c.instr.keyword !== "EXPOSE") continue;
        for (const raw of c.ports) {
          const p = splitPort(raw);
          if (p && p.proto !== p.proto.toLowerCase())
            f.add(
              c.instr.range.line,
              `Defined protocol '${raw}' in EXPOSE instruction should be lowercase`,
              c.instr,
            );
        }
      }
      return f.out;
    },
  },
);
