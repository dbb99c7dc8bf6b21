import { Command } from "commander";
import { registerApiCommands } from "./commands/index.ts";
import { parseCliEnv } from "./env.ts";
import { fetchHealth, formatHealth } from "./health.ts";
import { registerLintCommand } from "./lint.ts";

export function buildProgram(env: NodeJS.ProcessEnv = process.env): Command {
  const program = new Command("slipway")
    .description("Slipway: fast container builds on BuildKit builders with a persistent cache")
    .version("0.1.0")
    // Options after a command name belong to that command (`slipway lint` passes its own on).
    .enablePositionalOptions();

  program
    .command("health")
    .description("show the health of a Slipway server and each dependency it uses")
    .option("--url <url>", "dashboard URL (default: $SLIPWAY_URL or http://127.0.0.1:3000)")
    .option("--json", "print the raw JSON report")
    .action(async (options: { url?: string; json?: boolean }) => {
      const baseUrl = options.url ?? parseCliEnv(env).SLIPWAY_URL;
      const health = await fetchHealth(baseUrl);
      console.log(options.json ? JSON.stringify(health, null, 2) : formatHealth(health));
      if (health.status === "error") process.exitCode = 1;
    });

  registerApiCommands(program, env);
  registerLintCommand(program);

  return program;
}
