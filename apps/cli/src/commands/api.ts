// A small client for the server's REST API (/api/v1). Errors carry the server's message.

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiRequestError";
  }
}

export interface ApiProject {
  id: string;
  slug: string;
  name: string;
  org: { id: string; slug: string };
  platforms: string[];
  lintPolicy: string;
  lastBuildNumber: number;
}

export interface ProjectsAnswer {
  token: { id: string; name: string; org: { id: string; slug: string }; scope: "org" | "project" };
  projects: ApiProject[];
}

/** Turns an error answer into an ApiRequestError naming what the server said. */
export async function errorFromResponse(response: Response): Promise<ApiRequestError> {
  const text = await response.text().catch(() => "");
  try {
    const body = JSON.parse(text) as {
      error?: { code?: string; message?: string; detail?: string };
    };
    if (body.error?.message) {
      const detail = body.error.detail ? ` (${body.error.detail})` : "";
      return new ApiRequestError(
        response.status,
        body.error.code ?? "error",
        `${body.error.message}${detail}`,
      );
    }
  } catch {
    // not JSON
  }
  return new ApiRequestError(
    response.status,
    "http",
    `the server answered ${response.status} ${response.statusText}${text ? `: ${text.slice(0, 200)}` : ""}`,
  );
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  url(path: string): string {
    return `${this.baseUrl}/api/v1/${path.replace(/^\//, "")}`;
  }

  async fetch(path: string, init: RequestInit & { duplex?: "half" } = {}): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(this.url(path), {
        ...init,
        headers: { authorization: `Bearer ${this.token}`, ...init.headers },
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const reason = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new Error(`cannot reach Slipway at ${this.baseUrl}: ${reason}`);
    }
    if (!response.ok) throw await errorFromResponse(response);
    return response;
  }

  async json<T>(path: string, init: RequestInit = {}): Promise<T> {
    const response = await this.fetch(path, init);
    return (await response.json()) as T;
  }

  projects(): Promise<ProjectsAnswer> {
    return this.json<ProjectsAnswer>("projects");
  }

  project(ref: string): Promise<{ project: ApiProject }> {
    return this.json(`projects/${encodeURIComponent(ref)}`);
  }

  cancelBuild(buildId: string): Promise<{ status: string }> {
    return this.json(`builds/${encodeURIComponent(buildId)}/cancel`, { method: "POST" });
  }
}

/** A client for the resolved credentials; explains how to log in when there is no token. */
export function clientFor(credentials: { url: string; token: string | undefined }): ApiClient {
  if (!credentials.token) {
    throw new Error(
      "not logged in: run `slipway login --token <token>` or set SLIPWAY_TOKEN (tokens are created in the dashboard)",
    );
  }
  return new ApiClient(credentials.url, credentials.token);
}
