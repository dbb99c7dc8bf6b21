import { ApiClient } from "./api.ts";
import { configPath, DEFAULT_URL, readConfig, writeConfig } from "./config.ts";

/**
 * `slipway login --token T [--url U]`: checks the token against the server, then stores both in
 * the config file (mode 0600). SLIPWAY_TOKEN still wins over the stored token (for CI).
 */
export async function runLogin(
  options: { token: string; url?: string; project?: string },
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const token = options.token.trim();
  if (!token) throw new Error("--token must not be empty");
  const config = await readConfig(env);
  const url = (options.url || env.SLIPWAY_URL || config.url || DEFAULT_URL).replace(/\/+$/, "");
  const client = new ApiClient(url, token);
  const answer = await client.projects();
  const path = await writeConfig(
    { ...config, url, token, ...(options.project && { project: options.project }) },
    env,
  );
  const scope =
    answer.token.scope === "project"
      ? `project ${answer.projects[0]?.slug ?? "?"}`
      : `every project of the org (${answer.projects.length})`;
  return (
    `Logged in to ${url} as token "${answer.token.name}" of org ${answer.token.org.slug}; ` +
    `it may build ${scope}.\nSaved to ${path}`
  );
}

export { configPath };
