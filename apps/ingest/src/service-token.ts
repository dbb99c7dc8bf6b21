import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

export const SERVICE_TOKEN_FILE = "ingest-service-token";

/**
 * The query API's bearer token: INGEST_SERVICE_TOKEN when set, else the one in
 * `<stateDir>/ingest-service-token`, generated (random, mode 0600) on first start. apps/web on
 * the same machine reads the same file. Nothing secret is ever in the repository.
 */
export async function resolveServiceToken(
  stateDir: string,
  fromEnv: string | undefined,
): Promise<string> {
  if (fromEnv) return fromEnv;
  const file = join(stateDir, SERVICE_TOKEN_FILE);
  try {
    const existing = (await readFile(file, "utf8")).trim();
    if (existing.length >= 32) return existing;
  } catch (err) {
    if ((err as { code?: string }).code !== "ENOENT") throw err;
  }
  await mkdir(stateDir, { recursive: true });
  const token = `slwsvc_${randomBytes(32).toString("base64url")}`;
  try {
    // "wx": if another process created it meanwhile, use theirs.
    await writeFile(file, `${token}\n`, { mode: 0o600, flag: "wx" });
    return token;
  } catch (err) {
    if ((err as { code?: string }).code !== "EEXIST") throw err;
    return (await readFile(file, "utf8")).trim();
  }
}
