import { clientFor } from "./api.ts";
import { resolveCredentials } from "./config.ts";

/** `slipway projects`: the projects the token may build, as a table (or JSON). */
export async function runProjects(
  options: { url?: string; json?: boolean },
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const client = clientFor(await resolveCredentials(options, env));
  const answer = await client.projects();
  if (options.json) return JSON.stringify(answer.projects, null, 2);
  if (answer.projects.length === 0) return `no projects in org ${answer.token.org.slug} yet`;
  const rows = answer.projects.map((p) => [
    p.slug,
    p.name,
    p.platforms.join(","),
    p.lintPolicy.toLowerCase().replace(/_/g, "-"),
    String(p.lastBuildNumber),
  ]);
  const header = ["PROJECT", "NAME", "PLATFORMS", "LINT", "BUILDS"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}
