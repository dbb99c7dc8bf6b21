// Who is asking: client IP (only when a trusted proxy says so: react-router-serve does not expose
// the socket address to the app), user agent and request id, for sessions, audit and rate limits.

import { randomUUID } from "node:crypto";
import type { AuditRequestInfo } from "@slipway/db";
import { getEnv } from "../env.server";

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;
const IP = /^[0-9A-Fa-f.:]{2,45}$/;

export function requestIdOf(request: Request): string {
  const given = request.headers.get("x-request-id");
  return given && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * The client address: the last X-Forwarded-For entry (appended by the trusted proxy) when
 * WEB_TRUST_PROXY is on, else null. Anything that is not an IP address is ignored.
 */
export function clientIp(request: Request, trustProxy = getEnv().WEB_TRUST_PROXY): string | null {
  if (!trustProxy) return null;
  const forwarded = request.headers.get("x-forwarded-for");
  const last = forwarded?.split(",").at(-1)?.trim();
  return last && IP.test(last) ? last : null;
}

export interface RequestInfo extends AuditRequestInfo {
  ip: string | null;
  userAgent: string | null;
  requestId: string;
}

const cache = new WeakMap<Request, RequestInfo>();

export function requestInfo(request: Request): RequestInfo {
  let info = cache.get(request);
  if (!info) {
    info = {
      ip: clientIp(request),
      userAgent: request.headers.get("user-agent")?.slice(0, 512) ?? null,
      requestId: requestIdOf(request),
    };
    cache.set(request, info);
  }
  return info;
}
