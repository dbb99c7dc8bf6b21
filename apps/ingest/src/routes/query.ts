import type { Db } from "@slipway/db";
import {
  BUCKETS,
  buildDurations,
  cacheHitRatio,
  cacheSizeTrend,
  getStepLogs,
  lintRuleFrequencies,
  listBuildSteps,
  listLintFindings,
  listRunnerJobs,
  runnerQueueStats,
  runnerUsageByLabel,
  slowestSteps,
  stepHistory,
  type TelemetryStore,
} from "@slipway/telemetry";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { authenticateApiToken, bearer, type Principal, sameSecret } from "../auth.ts";

export interface QueryRouteOptions {
  db: Pick<Db, "apiToken">;
  store: TelemetryStore;
  /** The web app's token; any org may be asked with it (web checks its users itself). */
  serviceToken?: string;
}

const DAY_MS = 24 * 3600 * 1000;
const id = z.string().min(1, "must not be empty").max(128, "must be at most 128 characters");
const date = z
  .string()
  .refine((v) => !Number.isNaN(Date.parse(v)), "expected an ISO 8601 date or timestamp")
  .transform((v) => new Date(v));

const scope = z.object({ orgId: id, projectId: id.optional() });
const period = scope.extend({
  since: date.optional(),
  until: date.optional(),
  bucket: z.enum(BUCKETS).optional(),
});
const limit = z.coerce.number().int().min(1).max(1000).optional();
const digest = z
  .string()
  .regex(/^sha256:[a-f0-9]{64}$/, "expected a digest like sha256:<64 hex characters>");

/** Parses query parameters; a bad one answers 400 naming it. */
function params<S extends z.ZodType>(
  schema: S,
  req: FastifyRequest,
  reply: FastifyReply,
): z.output<S> | undefined {
  const r = schema.safeParse({ ...(req.query as object), ...(req.params as object) });
  if (r.success) return r.data;
  void reply.code(400).send({
    error: r.error.issues.map((i) => `${i.path.join(".") || "(query)"}: ${i.message}`).join("; "),
    params: r.error.issues.map((i) => ({ param: i.path.join("."), message: i.message })),
  });
  return undefined;
}

const withPeriod = <T extends { since?: Date; until?: Date }>(p: T) => ({
  ...p,
  since: p.since ?? new Date(Date.now() - 30 * DAY_MS),
});

/**
 * GET /v1/query/...: telemetry insights for apps/web. Every query names one org (`orgId`,
 * required) and optionally a project. The service token may ask for any org; an API token
 * only for its own org (and project, for a project token): anything else is 403.
 */
export async function queryRoutes(app: FastifyInstance, opts: QueryRouteOptions) {
  const { store } = opts;

  app.addHook("preHandler", async (req, reply) => {
    const auth = bearer(req.headers.authorization);
    if ("message" in auth)
      return reply
        .code(401)
        .send({ error: auth.message.replace("api token", "service or API token") });
    let principal: Principal;
    if (opts.serviceToken && sameSecret(auth.token, opts.serviceToken))
      principal = { kind: "service" };
    else {
      const r = await authenticateApiToken(opts.db, auth.token);
      if (!r.ok) return reply.code(401).send({ error: r.message });
      principal = r.principal;
    }
    if (principal.kind === "token") {
      const q = req.query as { orgId?: unknown; projectId?: unknown };
      if (typeof q.orgId === "string" && q.orgId !== principal.orgId) {
        return reply.code(403).send({ error: `this API token cannot read org ${q.orgId}` });
      }
      // Runner data (GitHub Actions jobs) is the org's: a job need not belong to any project,
      // so a project token cannot be scoped to "its" share of it and may not read it.
      if (principal.projectId !== null && req.routeOptions.url?.startsWith("/v1/query/runners/")) {
        return reply.code(403).send({
          error:
            "runner data belongs to the whole org: a project API token cannot read it (use an org token)",
        });
      }
      if (principal.projectId !== null && q.projectId !== principal.projectId) {
        return reply.code(403).send({
          error: `this API token can only read project ${principal.projectId}: pass projectId=${principal.projectId}`,
        });
      }
    }
  });

  app.get("/v1/query/builds/:buildId/steps", async (req, reply) => {
    const p = params(scope.extend({ buildId: id }), req, reply);
    if (!p) return reply;
    const steps = await listBuildSteps(store, p);
    return { orgId: p.orgId, buildId: p.buildId, steps };
  });

  // What one step printed (the build page's step detail). The project is required: it is the
  // key prefix before build_id, and the logs are read for one step of one build only.
  app.get("/v1/query/builds/:buildId/steps/:digest/logs", async (req, reply) => {
    const p = params(scope.extend({ projectId: id, buildId: id, digest }), req, reply);
    if (!p) return reply;
    const found = await getStepLogs(store, p);
    if (!found) {
      return reply.code(404).send({ error: `no step ${p.digest} in build ${p.buildId}` });
    }
    return { orgId: p.orgId, buildId: p.buildId, digest: p.digest, ...found };
  });

  // The lint findings of one build (the build page marks them on its Dockerfile).
  app.get("/v1/query/builds/:buildId/lint", async (req, reply) => {
    const p = params(scope.extend({ buildId: id, limit }), req, reply);
    if (!p) return reply;
    return { orgId: p.orgId, buildId: p.buildId, findings: await listLintFindings(store, p) };
  });

  // One step's last runs in a project (the step history chart); `step` is the normalised name.
  app.get("/v1/query/steps/history", async (req, reply) => {
    const p = params(
      period
        .omit({ bucket: true, until: true })
        .extend({ projectId: id, step: z.string().min(1).max(4096), limit }),
      req,
      reply,
    );
    if (!p) return reply;
    return { rows: await stepHistory(store, withPeriod(p)) };
  });

  app.get("/v1/query/steps/slowest", async (req, reply) => {
    const p = params(period.extend({ projectId: id, limit }), req, reply);
    if (!p) return reply;
    return { rows: await slowestSteps(store, withPeriod(p)) };
  });

  app.get("/v1/query/builds/durations", async (req, reply) => {
    const p = params(period, req, reply);
    if (!p) return reply;
    return { rows: await buildDurations(store, withPeriod(p)) };
  });

  app.get("/v1/query/cache/hit-ratio", async (req, reply) => {
    const p = params(period, req, reply);
    if (!p) return reply;
    return { rows: await cacheHitRatio(store, withPeriod(p)) };
  });

  app.get("/v1/query/cache/size", async (req, reply) => {
    const p = params(period, req, reply);
    if (!p) return reply;
    return { rows: await cacheSizeTrend(store, withPeriod(p)) };
  });

  app.get("/v1/query/lint/rules", async (req, reply) => {
    const p = params(period.extend({ limit }), req, reply);
    if (!p) return reply;
    return { rows: await lintRuleFrequencies(store, withPeriod(p)) };
  });

  app.get("/v1/query/runners/labels", async (req, reply) => {
    const p = params(
      period.omit({ bucket: true }).extend({ repository: z.string().min(1).max(256).optional() }),
      req,
      reply,
    );
    if (!p) return reply;
    return { rows: await runnerUsageByLabel(store, withPeriod(p)) };
  });

  // Jobs newest first. `limit` counts rows (1..1000); the dashboard pages through them by asking
  // for one more than it shows (listRunnerJobs has no offset).
  app.get("/v1/query/runners/jobs", async (req, reply) => {
    const p = params(
      scope.omit({ projectId: true }).extend({
        since: date.optional(),
        repository: z.string().min(1).max(256).optional(),
        limit,
      }),
      req,
      reply,
    );
    if (!p) return reply;
    return { rows: await listRunnerJobs(store, withPeriod(p)) };
  });

  // Per UTC day and runner label: jobs, queue time p50/p95, minutes run.
  app.get("/v1/query/runners/daily", async (req, reply) => {
    const p = params(
      scope.omit({ projectId: true }).extend({ since: date.optional() }),
      req,
      reply,
    );
    if (!p) return reply;
    return { rows: await runnerQueueStats(store, withPeriod(p)) };
  });
}
