import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import type { Db } from "@slipway/db";
import { encodeEvents, parseTelemetryEvent, type TelemetryEvent } from "@slipway/telemetry";
import type { FastifyInstance, FastifyReply } from "fastify";
import { authenticateApiToken, bearer, type Principal } from "../auth.ts";
import { BodyError, formatBytes, parseBatch, readBody } from "../body.ts";
import { deadline, type QueueDurability } from "../durability.ts";
import { type IngestQueues, ROWS_ENCODING, type RowsBatchJob } from "../queues.ts";

export interface IngestLimits {
  /** Largest body after decompression. */
  maxBodyBytes: number;
  /** Most events per request. */
  maxEvents: number;
  /** Waiting + delayed batches above which new batches get 429. */
  maxBacklog: number;
  /** Retry-After (seconds) on 429 and 503. */
  retryAfterS: number;
  /**
   * Longest wait for Redis (backlog check, queueing the batch) before answering 503: a command
   * sent while Redis is away waits in the client's queue, and the HTTP client must not hang.
   */
  queueTimeoutMs: number;
}

export interface EventsRouteOptions {
  db: Pick<Db, "apiToken" | "project">;
  queues: IngestQueues;
  limits: IngestLimits;
  /** Whether a batch queued now is durable (Redis connected and persisting as required). */
  durability: Pick<QueueDurability, "ok" | "generation" | "state">;
}

export type EventResult =
  | { index: number; id: string | null; status: "accepted" }
  | {
      index: number;
      id: string | null;
      status: "refused";
      errors: { path: string; message: string }[];
    };

/** Values of `X-Slipway-Source` a sender may claim (default `cli`). */
export const HTTP_SOURCES = ["cli", "builder"] as const;

const idOf = (v: unknown): string | null =>
  v !== null && typeof v === "object" && typeof (v as { id?: unknown }).id === "string"
    ? (v as { id: string }).id.slice(0, 64)
    : null;

/** Sends the batch-level answer every refusal uses. */
function refuse(reply: FastifyReply, code: number, error: string, extra: object = {}) {
  return reply.code(code).send({ status: "refused", error, ...extra });
}

/**
 * Caches the queue's backlog for a short while: checking it on every request would double the
 * Redis round trips of the hot path.
 */
function backlogProbe(queues: IngestQueues, ttlMs = 250) {
  let value = 0;
  let at = 0;
  let inflight: Promise<number> | undefined;
  return async () => {
    if (performance.now() - at < ttlMs) return value;
    inflight ??= queues.events
      .getJobCounts("waiting", "prioritized", "delayed")
      .then((c) => {
        value = (c.waiting ?? 0) + (c.prioritized ?? 0) + (c.delayed ?? 0);
        at = performance.now();
        return value;
      })
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  };
}

/**
 * POST /v1/events: a batch (JSON array or NDJSON, optionally gzip) of telemetry events,
 * validated one by one, queued as ONE job once durably in Redis.
 */
export async function eventsRoutes(app: FastifyInstance, opts: EventsRouteOptions) {
  const { limits, queues, db, durability } = opts;
  const backlog = backlogProbe(queues);
  const unavailable = (reply: FastifyReply, why: string) => {
    reply.header("retry-after", String(limits.retryAfterS));
    return refuse(reply, 503, `the ingest queue (Redis) is unavailable: ${why}; retry later`);
  };

  // This plugin reads bodies itself (streaming gunzip with a decompressed-size limit).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", (_req, payload, done) => done(null, payload));

  app.post("/v1/events", async (req, reply) => {
    const stream = (req.body ?? req.raw) as Readable;
    const auth = bearer(req.headers.authorization);
    if ("message" in auth) {
      stream.resume();
      return refuse(reply, 401, auth.message);
    }
    let authn: Awaited<ReturnType<typeof authenticateApiToken>>;
    try {
      authn = await authenticateApiToken(db, auth.token);
    } catch (err) {
      // PostgreSQL unreachable: nothing was accepted, the client may retry (not a 500).
      req.log.error({ err }, "checking an API token failed");
      stream.resume();
      reply.header("retry-after", String(limits.retryAfterS));
      return refuse(
        reply,
        503,
        "API tokens cannot be checked right now (database unavailable): retry later",
      );
    }
    if (!authn.ok) {
      stream.resume();
      return refuse(reply, 401, authn.message);
    }
    const principal = authn.principal as Extract<Principal, { kind: "token" }>;

    // Who produced the events: the CLI (default) or a Slipway builder (apps/web's sink).
    // `github` and `seed` are set by their own paths and cannot be claimed over HTTP.
    const sourceHeader = req.headers["x-slipway-source"];
    const source = typeof sourceHeader === "string" ? sourceHeader.trim().toLowerCase() : "cli";
    if (!(HTTP_SOURCES as readonly string[]).includes(source)) {
      stream.resume();
      return refuse(
        reply,
        400,
        `X-Slipway-Source must be one of ${HTTP_SOURCES.join(", ")}, got ${JSON.stringify(String(sourceHeader))}`,
      );
    }

    // Refused at once while Redis is away (or not persisting as required), rather than
    // reading a body that could not be acknowledged.
    if (!durability.ok) {
      stream.resume();
      return unavailable(reply, durability.state.error ?? "not connected");
    }
    const queued = await deadline(backlog(), limits.queueTimeoutMs).catch(() => undefined);
    if (queued === undefined) {
      stream.resume();
      return unavailable(reply, "no answer to the backlog check");
    }
    if (queued >= limits.maxBacklog) {
      stream.resume();
      reply.header("retry-after", String(limits.retryAfterS));
      return refuse(
        reply,
        429,
        `ingest is behind (${queued} batches queued, limit ${limits.maxBacklog}): retry after ${limits.retryAfterS} s`,
      );
    }

    const declared = Number(req.headers["content-length"]);
    const encoding = req.headers["content-encoding"];
    if (!encoding && Number.isFinite(declared) && declared > limits.maxBodyBytes) {
      stream.resume();
      return refuse(
        reply,
        413,
        `request body is larger than the ${formatBytes(limits.maxBodyBytes)} limit (${declared} bytes): send smaller batches`,
      );
    }

    let items: ReturnType<typeof parseBatch>;
    try {
      const body = await readBody(stream, encoding, limits.maxBodyBytes);
      items = parseBatch(body, req.headers["content-type"], limits.maxEvents);
    } catch (err) {
      if (err instanceof BodyError) return refuse(reply, err.statusCode, err.message);
      throw err;
    }
    if (items.length === 0) return refuse(reply, 400, "the batch has no events");

    const results: EventResult[] = [];
    const valid: { index: number; event: TelemetryEvent }[] = [];
    items.forEach((item, index) => {
      if (!item.ok) {
        results.push({
          index,
          id: null,
          status: "refused",
          errors: [{ path: "(line)", message: item.message }],
        });
        return;
      }
      const parsed = parseTelemetryEvent(item.value);
      if (!parsed.ok) {
        results.push({ index, id: idOf(item.value), status: "refused", errors: parsed.errors });
        return;
      }
      const e = parsed.event;
      if (e.orgId !== principal.orgId) {
        results.push({
          index,
          id: e.id,
          status: "refused",
          errors: [
            {
              path: "orgId",
              message: `this API token belongs to org ${principal.orgId}; it cannot write events of org ${e.orgId}`,
            },
          ],
        });
        return;
      }
      if (principal.projectId !== null && e.projectId !== principal.projectId) {
        results.push({
          index,
          id: e.id,
          status: "refused",
          errors: [
            {
              path: "projectId",
              message: `this API token can only write events of project ${principal.projectId}, not ${e.projectId ?? "null (no project)"}`,
            },
          ],
        });
        return;
      }
      results.push({ index, id: e.id, status: "accepted" });
      valid.push({ index, event: e });
    });

    // Org tokens: every named project must be a live project of the org.
    if (principal.projectId === null && valid.length > 0) {
      const named = [
        ...new Set(valid.map((v) => v.event.projectId).filter((p): p is string => p !== null)),
      ];
      if (named.length > 0) {
        let found: { id: string; deletedAt: Date | null }[];
        try {
          found = await db.project.findMany({
            where: { orgId: principal.orgId, id: { in: named } },
            select: { id: true, deletedAt: true },
          });
        } catch (err) {
          req.log.error({ err }, "checking the batch's projects failed");
          reply.header("retry-after", String(limits.retryAfterS));
          return refuse(
            reply,
            503,
            "projects cannot be checked right now (database unavailable): retry later",
          );
        }
        const state = new Map(found.map((p) => [p.id, p.deletedAt ? "deleted" : "ok"]));
        for (let i = valid.length - 1; i >= 0; i--) {
          const v = valid[i];
          if (!v || v.event.projectId === null) continue;
          const s = state.get(v.event.projectId);
          if (s === "ok") continue;
          results[v.index] = {
            index: v.index,
            id: v.event.id,
            status: "refused",
            errors: [
              {
                path: "projectId",
                message:
                  s === "deleted"
                    ? `project ${v.event.projectId} is deleted`
                    : `org ${principal.orgId} has no project ${v.event.projectId}`,
              },
            ],
          };
          valid.splice(i, 1);
        }
      }
    }

    const refused = results.length - valid.length;
    if (valid.length === 0) {
      return refuse(reply, 400, `none of the ${results.length} events is valid`, {
        accepted: 0,
        refused,
        results,
      });
    }

    const batchId = randomUUID();
    // Encoded here, once: the job carries the rows as stored (see RowsBatchJob).
    const tables: RowsBatchJob["tables"] = {};
    for (const [table, rows] of encodeEvents(
      valid.map((v) => v.event),
      source as (typeof HTTP_SOURCES)[number],
    )) {
      tables[table] = { rows: rows.rows, data: rows.data };
    }
    const payload: RowsBatchJob = {
      orgId: principal.orgId,
      source: source as (typeof HTTP_SOURCES)[number],
      receivedAt: new Date().toISOString(),
      sender: principal.tokenId,
      encoding: ROWS_ENCODING,
      events: valid.length,
      tables,
    };
    const generation = durability.generation;
    try {
      await deadline(
        queues.events.add("batch", payload, { ...queues.jobOptions, jobId: batchId }),
        limits.queueTimeoutMs,
      );
    } catch (err) {
      req.log.error({ err }, "queueing a batch failed");
      return unavailable(reply, "the batch could not be queued");
    }
    // Redis reconnected while the batch was written: it may have been written before the
    // connection was checked again (e.g. a restarted Redis not yet set to fsync always).
    // Not acknowledged; the client re-sends it and the copies collapse by event id.
    if (durability.generation !== generation || !durability.ok) {
      return unavailable(reply, "the connection was re-established while queueing");
    }
    if (refused === 0) {
      return reply
        .code(202)
        .send({ status: "accepted", batchId, accepted: valid.length, refused: 0 });
    }
    return reply
      .code(207)
      .send({ status: "partial", batchId, accepted: valid.length, refused, results });
  });
}
