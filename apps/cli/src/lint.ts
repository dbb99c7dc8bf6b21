import { runCli } from "@slipway/lint";
import type { Command } from "commander";

/**
 * `slipway lint`: the `slipway-lint` command line of @slipway/lint under the main CLI. Its
 * arguments go to @slipway/lint's own option parser unchanged, so both accept the same options
 * (`slipway lint --help` lists them) and exit with the same codes: 0 clean, 1 when a finding is
 * at or above the failure threshold (or a file cannot be read), 2 on usage errors.
 */
export function registerLintCommand(program: Command): void {
  program
    .command("lint")
    .description(
      "lint Dockerfiles: hadolint's rules, BuildKit's build checks and Slipway's build-speed rules",
    )
    .usage(
      "[--format json] [--config FILE] Dockerfile... ('-' reads stdin; --help for all options)",
    )
    .argument("[args...]")
    .helpOption(false)
    .allowUnknownOption()
    .passThroughOptions()
    .action(async (args: string[]) => {
      process.exitCode = await runCli(args, "slipway lint");
    });
}
