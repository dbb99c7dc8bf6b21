// JSON responses and errors of the REST API (/api/v1). Every error body has the same shape:
// { "error": { "code": "...", "message": "..." } }, with a message that names what is wrong.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export function jsonResponse(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      ...headers,
    },
  });
}

export function errorResponse(error: ApiError): Response {
  const headers: Record<string, string> = {};
  if (error.status === 401) headers["www-authenticate"] = 'Bearer realm="slipway"';
  return jsonResponse(
    { error: { code: error.code, message: error.message, ...error.details } },
    error.status,
    headers,
  );
}

/** Runs an API handler, turning ApiErrors into their JSON answer and anything else into a 500. */
export async function withApiErrors(handler: () => Promise<Response>): Promise<Response> {
  try {
    return await handler();
  } catch (error) {
    if (error instanceof ApiError) return errorResponse(error);
    console.error("[slipway api] unexpected error", error);
    return errorResponse(
      new ApiError(500, "internal", "the server failed to handle this request; see its log"),
    );
  }
}

export function methodNotAllowed(allowed: string[]): Response {
  return jsonResponse(
    {
      error: {
        code: "method-not-allowed",
        message: `use ${allowed.join(" or ")} on this endpoint`,
      },
    },
    405,
    { allow: allowed.join(", ") },
  );
}
