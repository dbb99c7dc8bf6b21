// What an org pastes into GitHub to send its Actions jobs to Slipway (apps/ingest/src/routes/github.ts:
// POST /v1/github/webhook/<org slug>, JSON, signed with the org's secret).

import type { Db } from "../db.server";
import { getEnv } from "../env.server";
import { webhookSecretConfigured } from "../services/webhooks.server";
import type { TelemetryQueryClient } from "../telemetry/query.server";
import { getLastRunnerJob, type RunnerJob } from "./runners.server";
import type { Insight } from "./telemetry-result.server";

/** The events ingest handles: jobs, and runs (they name the workflow of jobs that lack it). */
export const WEBHOOK_EVENTS = ["workflow_job", "workflow_run"] as const;
export const WEBHOOK_CONTENT_TYPE = "application/json";

/** The org is named by its slug in the path (slugs never change, renames keep them). */
export function webhookUrl(orgSlug: string, ingestUrl: string = getEnv().INGEST_URL): string {
  return new URL(`/v1/github/webhook/${encodeURIComponent(orgSlug)}`, ingestUrl).toString();
}

export interface WebhookSetup {
  url: string;
  contentType: string;
  events: readonly string[];
  secretConfigured: boolean;
  lastJob: Insight<RunnerJob | null>;
}

export async function getWebhookSetup(
  db: Db,
  telemetry: TelemetryQueryClient,
  org: { id: string; slug: string },
): Promise<WebhookSetup> {
  const [secretConfigured, lastJob] = await Promise.all([
    webhookSecretConfigured(db, org.id),
    getLastRunnerJob(telemetry, org.id),
  ]);
  return {
    url: webhookUrl(org.slug),
    contentType: WEBHOOK_CONTENT_TYPE,
    events: WEBHOOK_EVENTS,
    secretConfigured,
    lastJob,
  };
}
