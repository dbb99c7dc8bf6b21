import { Webhooks } from "@octokit/webhooks";
import type { Db } from "@slipway/db";
import { parseTelemetryEvent, type TelemetryEvent } from "@slipway/telemetry";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Redis } from "ioredis";
import { deadline, type QueueDurability } from "../durability.ts";
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
  /** Longest wait for Redis before answering 503 (GitHub then redelivers). */
  queueTimeoutMs: number;
  /** Whether a delivery queued now is durable (Redis connected and persisting as required). */
  durability: Pick<QueueDurability, "ok" | "generation" | "state">;
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

  // Nothing is acknowledged that Redis has not durably taken: GitHub redelivers a delivery
  // answered 5xx, and a redelivered job is stored once (its events have stable ids).
  const unavailable = (reply: FastifyReply, why: string) => {
    reply.header("retry-after", String(opts.retryAfterS));
    return answer(reply, 503, {
      status: "refused",
      error: `the delivery could not be queued (${why}); retry later`,
    });
  };
  const redisCall = <T>(work: Promise<T>) => deadline(work, opts.queueTimeoutMs);

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
    let org: { id: string; githubWebhookSecret: string | null } | null;
    try {
      org = await opts.db.org.findUnique({
        where: { slug },
        select: { id: true, githubWebhookSecret: true },
      });
    } catch (err) {
      req.log.error({ err }, "looking up the org of a webhook failed");
      return unavailable(reply, "the database is unavailable");
    }
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

    if ((event === "workflow_run" || event === "workflow_job") && !opts.durability.ok) {
      return unavailable(reply, `Redis: ${opts.durability.state.error ?? "not connected"}`);
    }

    if (event === "workflow_run") {
      const p = workflowRunPayload.safeParse(payload);
      if (!p.success) return invalidPayload(reply, event, p.error.issues);
      const name = p.data.workflow_run.name ?? p.data.workflow?.name;
      if (name) {
        try {
          await redisCall(
            opts.redis.set(
              runKey(org.id, p.data.repository.full_name, p.data.workflow_run.id),
              name,
              "EX",
              RUN_NAME_TTL_S,
            ),
          );
        } catch (err) {
          req.log.error({ err }, "remembering a workflow run's name failed");
          return unavailable(reply, "Redis did not answer");
        }
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
    let workflowName: string | undefined;
    if (!job.workflow_name) {
      // only a name for display: without Redis the job is still stored, just unnamed
      workflowName =
        (await redisCall(
          opts.redis.get(runKey(org.id, p.data.repository.full_name, job.run_id)),
        ).catch(() => null)) ?? undefined;
    }
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
    const generation = opts.durability.generation;
    try {
      await redisCall(
        opts.queues.events.add(
          "batch",
          {
            orgId: org.id,
            source: "github",
            receivedAt: new Date().toISOString(),
            sender: `github:${delivery}`.slice(0, 256),
            events,
          },
          opts.queues.jobOptions,
        ),
      );
    } catch (err) {
      req.log.error({ err }, "queueing a webhook batch failed");
      return unavailable(reply, "Redis unavailable");
    }
    // Redis reconnected meanwhile: the write may predate the durability check (see events.ts).
    if (opts.durability.generation !== generation || !opts.durability.ok) {
      return unavailable(reply, "the Redis connection was re-established while queueing");
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
