import { buildProgram } from "./program.ts";

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  console.error(`slipway: ${(error as Error).message}`);
  process.exitCode = 1;
}
