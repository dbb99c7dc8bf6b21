/** Start-up helpers shared by the server (main.ts) and the standalone worker (worker-main.ts). */
import { EnvError, type IngestEnv, loadEnv } from "./env.ts";

/** Ends the process with a one-line reason, not a stack trace. */
export function exitWith(program: string, message: string): never {
  process.stderr.write(`${program}: ${message}\n`);
  process.exit(1);
}

/** The validated environment, or exit naming each bad variable. */
export function loadEnvOrExit(program: string): IngestEnv {
  try {
    return loadEnv();
  } catch (err) {
    if (err instanceof EnvError) exitWith(program, err.message);
    throw err;
  }
}
