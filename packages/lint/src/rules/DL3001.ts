import { runShell } from "../parser/instructions.ts";
import type { Rule } from "./types.ts";
import { simpleOnbuild } from "./util.ts";

const INVALID = new Set([
  "free",
  "kill",
  "mount",
  "ps",
  "service",
  "shutdown",
  "ssh",
  "top",
  "vim",
]);

export const DL3001: Rule = {
  code: "DL3001",
  source: "hadolint",
  severity: "info",
  requires: ["free", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim"],
  message:
    "For some bash commands it makes no sense running them in a Docker container like `ssh`, `vim`, `shutdown`, `service`, `ps`, `free`, `top`, `kill`, `mount`, `ifconfig`",
  explanation:
    "Interactive or system-management commands have no effect during an image build (there is no init system, no terminal, no running services).",
  examples: {
    bad: "FROM debian:12\nRUN service nginx start",
    good: 'FROM debian:12\nCMD ["nginx", "-g", "daemon off;"]',
  },
  check: simpleOnbuild(
    "RUN",
    (i) => i.keyword === "RUN" && runShell(i).commands.some((c) => INVALID.has(c.name)),
  ),
};
