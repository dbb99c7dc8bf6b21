// `slipway audit list` and `slipway audit verify [--org]`: the org's audit log through the REST
// API (an org token created by an owner or admin). verify exits 1 naming the first broken link.

import type { Command } from "commander";
import { clientFor } from "./api.ts";
import { resolveCredentials } from "./config.ts";

interface AuditEventJson {
  id: string;
  seq: string;
  occurredAt: string;
  actor: { type: string; id: string | null; name: string };
  action: string;
  target: { type: string; id: string; name: string };
  outcome: string;
}

type VerifyJson =
  | { ok: true; events: number; digests: number; firstSeq: string | null; lastSeq: string | null }
  | { ok: false; seq: string; id: string | null; reason: string; events: number };

const FILTERS = ["actor", "action", "targetType", "target", "outcome", "from", "to", "q"] as const;

export interface AuditListOptions {
  url?: string;
  org?: string;
  json?: boolean;
  limit?: string;
  cursor?: string;
  actor?: string;
  action?: string;
  targetType?: string;
  target?: string;
  outcome?: string;
  from?: string;
  to?: string;
  q?: string;
}

export async function runAuditList(
  options: AuditListOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const client = clientFor(await resolveCredentials(options, env));
  const params = new URLSearchParams();
  for (const key of FILTERS) {
    const value = options[key];
    if (value) params.set(key, value);
  }
  if (options.org) params.set("org", options.org);
  if (options.limit) params.set("limit", options.limit);
  if (options.cursor) params.set("cursor", options.cursor);
  const answer = await client.json<{ events: AuditEventJson[]; nextCursor: string | null }>(
    `audit-events?${params.toString()}`,
  );
  if (options.json) return JSON.stringify(answer, null, 2);
  if (answer.events.length === 0) return "no audit events match";
  const rows = answer.events.map((e) => [
    e.occurredAt,
    e.seq,
    `${e.actor.name} (${e.actor.type.toLowerCase()})`,
    e.action,
    `${e.target.type}:${e.target.name}`,
    e.outcome.toLowerCase(),
  ]);
  const header = ["TIME", "SEQ", "ACTOR", "ACTION", "TARGET", "OUTCOME"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  const more = answer.nextCursor ? `\nmore: --cursor ${answer.nextCursor}` : "";
  return [line(header), ...rows.map(line)].join("\n") + more;
}

/** Returns the text to print and the exit code (1 when the chain is broken). */
export async function runAuditVerify(
  options: { url?: string; org?: string; json?: boolean },
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ text: string; code: number }> {
  const client = clientFor(await resolveCredentials(options, env));
  const query = options.org ? `?org=${encodeURIComponent(options.org)}` : "";
  const answer = await client.json<{ org: { slug: string }; verify: VerifyJson }>(
    `audit-events/verify${query}`,
  );
  const v = answer.verify;
  if (options.json) return { text: JSON.stringify(answer, null, 2), code: v.ok ? 0 : 1 };
  if (v.ok) {
    const range = v.lastSeq ? ` (seq ${v.firstSeq}..${v.lastSeq})` : "";
    return {
      text: `audit log of ${answer.org.slug} verified: ${v.events} events${range}, ${v.digests} hourly digests`,
      code: 0,
    };
  }
  return {
    text: `audit log of ${answer.org.slug} is BROKEN at seq ${v.seq}${v.id ? ` (event ${v.id})` : ""}: ${v.reason}`,
    code: 1,
  };
}

export function registerAuditCommand(program: Command, env: NodeJS.ProcessEnv): void {
  const audit = program
    .command("audit")
    .description("read and verify the org's audit log (org token of an owner or admin)");
  const list = audit
    .command("list")
    .description("list audit events, newest first")
    .option("--url <url>", "server URL")
    .option("--org <slug>", "the org (must be the token's)")
    .option("--json", "print JSON")
    .option("--limit <n>", "events per page (1-200, default 50)")
    .option("--cursor <cursor>", "continue after a previous page");
  for (const key of FILTERS) list.option(`--${key} <value>`, `filter: ${key}`);
  list.action(async (options: AuditListOptions) => {
    console.log(await runAuditList(options, env));
  });
  audit
    .command("verify")
    .description("check the hash chain and the hourly digests; exit 1 when broken")
    .option("--url <url>", "server URL")
    .option("--org <slug>", "the org (must be the token's)")
    .option("--json", "print JSON")
    .action(async (options: { url?: string; org?: string; json?: boolean }) => {
      const result = await runAuditVerify(options, env);
      (result.code === 0 ? console.log : console.error)(result.text);
      process.exitCode = result.code;
    });
}
