import type { Command } from "commander";
import { registerAuditCommand } from "./audit.ts";
import { runBuildCommand } from "./build.ts";
import { runLogin } from "./login.ts";
import { runProjects } from "./projects.ts";

const collect = (value: string, previous: string[]) => [...previous, value];

/** Registers `login`, `build` and `projects` (the REST API commands) on the program. */
export function registerApiCommands(program: Command, env: NodeJS.ProcessEnv = process.env): void {
  program
    .command("login")
    .description("store an API token (and the server URL) in ~/.config/slipway/config.json")
    .requiredOption("--token <token>", "an API token from the dashboard")
    .option("--url <url>", "server URL (default: $SLIPWAY_URL or http://127.0.0.1:3000)")
    .option("--project <project>", "default project for `slipway build`")
    .action(async (options: { token: string; url?: string; project?: string }) => {
      console.log(await runLogin(options, env));
    });

  program
    .command("projects")
    .description("list the projects your token may build")
    .option("--url <url>", "server URL")
    .option("--json", "print JSON")
    .action(async (options: { url?: string; json?: boolean }) => {
      console.log(await runProjects(options, env));
    });

  program
    .command("build")
    .description("build a container image from PATH (default .) on Slipway's builders")
    .argument("[path]", "the build context folder", ".")
    .option("-f, --file <dockerfile>", "the Dockerfile (default: PATH/Dockerfile)")
    .option("-t, --tag <tag>", "name the image (repeatable)", collect, [])
    .option("--platform <platforms>", "target platforms, comma-separated (default: the project's)")
    .option("--build-arg <NAME=value>", "set a build argument (repeatable)", collect, [])
    .option("--target <stage>", "build up to this stage")
    .option("--no-cache", "do not use the cache")
    .option("--push", "push the tags to their registries after a successful build")
    .option("--lint", "lint the Dockerfile first and report the findings")
    .option("--lint-fail-on <level>", "stop before building on lint findings: error or warning")
    .option("--project <project>", "project slug or id (default: $SLIPWAY_PROJECT, the config)")
    .option("--progress <mode>", "auto, plain or json", "auto")
    .option("--url <url>", "server URL")
    .action(async (path: string, options: Parameters<typeof runBuildCommand>[1]) => {
      process.exitCode = await runBuildCommand(path, options, env);
    });

  registerAuditCommand(program, env);
}
