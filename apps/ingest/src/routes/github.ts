import { Webhooks } from "@octokit/webhooks";
import type { Db } from "@slipway/db";
import { parseTelemetryEvent, type TelemetryEvent } from "@slipway/telemetry";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Redis } from "ioredis";
import { workflowJobEvents, workflowJobPayload, workflowRunPayload } from "../github.ts";
import type { IngestQueues } from "../queues.ts";

export interface GithubRouteOptions {
  db: Pick<Db, "org">;
  redis: Redis;
  queues: IngestQueues;
  /** Redis key prefix for the run-id → workflow-name memo (not `prefix`: Fastify takes that as a route prefix). */
  keyPrefix: string;
  maxBodyBytes: number;
  retryAfterS: number;
}

const RUN_NAME_TTL_S = 7 * 24 * 3600;

function answer(reply: FastifyReply, code: number, body: object) {
  return reply.code(code).send(body);
}

/**
 * POST /v1/github/webhook/:orgSlug (or /v1/github/webhook?org=<slug>): GitHub Actions
 * deliveries signed with the org's webhook secret. workflow_job deliveries become runner.job
 * and runner.step events queued like any batch; workflow_run deliveries name the workflow of
 * their run (for jobs whose payload lacks workflow_name); other types are acknowledged and
 * ignored.
 */
export async function githubRoutes(app: FastifyInstance, opts: GithubRouteOptions) {
  // The signature covers the exact bytes: keep the body as a string.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    "application/json",
    { parseAs: "string", bodyLimit: opts.maxBodyBytes },
    (_req, body, done) => done(null, body),
  );
  app.addContentTypeParser("*", (_req, payload, done) => {
    payload.resume();
    done(null, undefined);
  });

  const runKey = (orgId: string, repo: string, runId: number) =>
    `${opts.keyPrefix}:gh-run:${orgId}:${repo}:${runId}`;

  const handler = async (slug: string | undefined, req: FastifyRequest, reply: FastifyReply) => {
    if (!slug)
      return answer(reply, 400, {
        status: "refused",
        error: "missing org: POST /v1/github/webhook/<org slug>",
      });
    if (typeof req.body !== "string") {
      return answer(reply, 415, {
        status: "refused",
        error: "send the webhook with content type application/json",
      });
    }
    const org = await opts.db.org.findUnique({
      where: { slug },
      select: { id: true, githubWebhookSecret: true },
    });
    if (!org?.githubWebhookSecret) {
      return answer(reply, 401, {
        status: "refused",
        error: `no GitHub webhook secret is configured for org ${slug}`,
      });
    }
    const signature = req.headers["x-hub-signature-256"];
    if (typeof signature !== "string" || !signature.startsWith("sha256=")) {
      return answer(reply, 401, { status: "refused", error: "missing X-Hub-Signature-256 header" });
    }
    const valid = await new Webhooks({ secret: org.githubWebhookSecret })
      .verify(req.body, signature)
      .catch(() => false);
    if (!valid) {
      return answer(reply, 401, {
        status: "refused",
        error: "X-Hub-Signature-256 does not match the payload and the org's webhook secret",
      });
    }
    const event = String(req.headers["x-github-event"] ?? "");
    const delivery = String(req.headers["x-github-delivery"] ?? "");
    let payload: unknown;
    try {
      payload = JSON.parse(req.body);
    } catch (err) {
      return answer(reply, 400, {
        status: "refused",
        error: `payload is not valid JSON: ${(err as Error).message}`,
      });
    }

    if (event === "ping") return answer(reply, 202, { status: "ignored", event, reason: "pong" });

    if (event === "workflow_run") {
      const p = workflowRunPayload.safeParse(payload);
      if (!p.success) return invalidPayload(reply, event, p.error.issues);
      const name = p.data.workflow_run.name ?? p.data.workflow?.name;
      if (name) {
        await opts.redis.set(
          runKey(org.id, p.data.repository.full_name, p.data.workflow_run.id),
          name,
          "EX",
          RUN_NAME_TTL_S,
        );
      }
      return answer(reply, 202, {
        status: "accepted",
        event,
        stored: "workflow name of the run (its jobs come as workflow_job)",
      });
    }

    if (event !== "workflow_job") {
      return answer(reply, 202, {
        status: "ignored",
        event,
        reason: `event type ${event || "(none)"} is not handled; only workflow_job and workflow_run are`,
      });
    }

    const p = workflowJobPayload.safeParse(payload);
    if (!p.success) return invalidPayload(reply, event, p.error.issues);
    const job = p.data.workflow_job;
    const workflowName = job.workflow_name
      ? undefined
      : ((await opts.redis.get(runKey(org.id, p.data.repository.full_name, job.run_id))) ??
        undefined);
    const events: TelemetryEvent[] = [];
    const errors: { index: number; path: string; message: string }[] = [];
    workflowJobEvents(p.data, org.id, workflowName).forEach((input, index) => {
      const r = parseTelemetryEvent(input);
      if (r.ok) events.push(r.event);
      else for (const e of r.errors) errors.push({ index, ...e });
    });
    if (events.length === 0 || events[0]?.type !== "runner.job") {
      return answer(reply, 400, {
        status: "refused",
        event,
        error: "the workflow job could not be stored",
        errors,
      });
    }
    try {
      await opts.queues.events.add(
        "batch",
        {
          orgId: org.id,
          source: "github",
          receivedAt: new Date().toISOString(),
          sender: `github:${delivery}`.slice(0, 256),
          events,
        },
        opts.queues.jobOptions,
      );
    } catch (err) {
      req.log.error({ err }, "queueing a webhook batch failed");
      reply.header("retry-after", String(opts.retryAfterS));
      return answer(reply, 503, {
        status: "refused",
        error: "the delivery could not be queued (Redis unavailable)",
      });
    }
    return answer(reply, 202, {
      status: "accepted",
      event,
      jobId: job.id,
      steps: events.length - 1,
      ...(errors.length > 0 ? { refusedSteps: errors } : {}),
    });
  };

  app.post<{ Params: { orgSlug: string } }>("/v1/github/webhook/:orgSlug", (req, reply) =>
    handler(req.params.orgSlug, req, reply),
  );
  app.post<{ Querystring: { org?: string } }>("/v1/github/webhook", (req, reply) =>
    handler(typeof req.query.org === "string" ? req.query.org : undefined, req, reply),
  );
}

function invalidPayload(
  reply: FastifyReply,
  event: string,
  issues: { path: PropertyKey[]; message: string }[],
) {
  return answer(reply, 400, {
    status: "refused",
    event,
    error: `unexpected ${event} payload`,
    errors: issues
      .slice(0, 20)
      .map((i) => ({ path: i.path.map(String).join("."), message: i.message })),
  });
}
