import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { z } from "zod";

export const DEFAULT_URL = "http://127.0.0.1:3000";

const configSchema = z.object({
  url: z.string().optional(),
  token: z.string().optional(),
  project: z.string().optional(),
});
export type CliConfig = z.infer<typeof configSchema>;

/** `$XDG_CONFIG_HOME/slipway/config.json`, else `~/.config/slipway/config.json`. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), ".config");
  return join(base, "slipway", "config.json");
}

export async function readConfig(env: NodeJS.ProcessEnv = process.env): Promise<CliConfig> {
  const path = configPath(env);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return {};
  }
  try {
    return configSchema.parse(JSON.parse(text));
  } catch {
    throw new Error(`${path} is not a valid Slipway config; run \`slipway login\` again`);
  }
}

/** Writes the config readable by its owner only (it holds a token). */
export async function writeConfig(
  config: CliConfig,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const path = configPath(env);
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFile(path, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
  return path;
}

export interface Credentials {
  url: string;
  token: string | undefined;
  project: string | undefined;
}

/**
 * Where to talk to and with which token: `--url` / `SLIPWAY_URL` / the config / the default;
 * `SLIPWAY_TOKEN` (for CI) / the config; `--project` / `SLIPWAY_PROJECT` / the config.
 */
export async function resolveCredentials(
  options: { url?: string; project?: string },
  env: NodeJS.ProcessEnv = process.env,
): Promise<Credentials> {
  const config = await readConfig(env);
  const url = options.url || env.SLIPWAY_URL || config.url || DEFAULT_URL;
  try {
    new URL(url);
  } catch {
    throw new Error(`invalid Slipway URL ${JSON.stringify(url)}: expected e.g. ${DEFAULT_URL}`);
  }
  return {
    url: url.replace(/\/+$/, ""),
    token: env.SLIPWAY_TOKEN || config.token,
    project: options.project || env.SLIPWAY_PROJECT || config.project,
  };
}
