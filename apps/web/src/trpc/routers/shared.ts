import type { RequestInfo } from "../../auth/request-info.server";
import type { Context } from "../init";

export function infoOf(ctx: Context): RequestInfo {
  return {
    ip: ctx.info?.ip ?? null,
    userAgent: ctx.info?.userAgent ?? null,
    requestId: ctx.requestId,
  };
}
