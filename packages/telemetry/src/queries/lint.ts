/** Insights over `lint_findings_v1`. */
import { z } from "zod";
import type { TelemetryStore } from "../clickhouse/store.ts";
import { TABLES } from "../write.ts";
import {
  num,
  type OrgScope,
  type Period,
  projectFilter,
  requireOrg,
  run,
  untilFilter,
} from "./common.ts";

export const lintRuleRow = z.object({
  code: z.string(),
  level: z.string(),
  findings: num,
  /** Dockerfiles (project + file) with at least one finding of this rule. */
  dockerfiles: num,
  /** Dockerfiles with any finding in the period. */
  totalDockerfiles: num,
  /** dockerfiles / totalDockerfiles, 0-1. */
  share: num,
});
export type LintRuleRow = z.output<typeof lintRuleRow>;

/**
 * How common each lint rule is: the share of Dockerfiles (project + file path) with a finding
 * of that rule over a period, most common first. A Dockerfile without any finding sends no
 * event, so the denominator is the Dockerfiles with at least one finding.
 */
export async function lintRuleFrequencies(
  store: TelemetryStore,
  q: OrgScope & Period & { projectId?: string; limit?: number },
): Promise<LintRuleRow[]> {
  const orgId = requireOrg(q);
  return run(
    store,
    lintRuleRow,
    `WITH scoped AS (
       SELECT code, level, project_id, file
       FROM ${TABLES.lintFindings} FINAL
       WHERE org_id = {orgId:String} ${projectFilter(q.projectId)}
         AND time >= {since:DateTime64(3, 'UTC')} ${untilFilter(q.until, "time")}
     ),
     total AS (SELECT uniqExact(project_id, file) AS n FROM scoped)
     SELECT code, any(level) AS level, count() AS findings,
            uniqExact(project_id, file) AS dockerfiles, any(total.n) AS totalDockerfiles,
            round(uniqExact(project_id, file) / any(total.n), 4) AS share
     FROM scoped CROSS JOIN total
     GROUP BY code
     ORDER BY dockerfiles DESC, findings DESC, code
     LIMIT {limit:UInt32}`,
    { orgId, projectId: q.projectId, since: q.since, until: q.until, limit: q.limit ?? 100 },
  );
}
