import { splitPort } from "./expose.ts";
import { buildkitRule, Findings, model } from "./util.ts";

export const ExposeInvalidFormat = buildkitRule(
  "ExposeInvalidFormat",
  "IP address and host-port mapping should not be used in EXPOSE instruction. This will become an error in a future release",
  {
    explanation:
      "EXPOSE documents the ports the container listens on. Host addresses and host ports belong to `docker run -p`, not to the image.",
    examples: { bad: "FROM alpine\nEXPOSE 127.0.0.1:80:80", good: "FROM alpine\nEXPOSE 80" },
    check(ctx) {
      const m = model(ctx);
      const f = new Findings(m, "ExposeInvalidFormat");
      for (const c of m.commands) {
        if (c.instr.keyword !== "EXPOSE") continue;
        for (const raw of c.ports) {
          const p = splitPort(raw);
          if (p && (p.ip || p.hostPort))
            f.add(
              c.instr.range.line,
              `EXPOSE instruction should not define an IP address or host-port mapping, found '${raw}'`,
              c.instr,
            );
        }
      }
      return f.out;
    },
  },
);
