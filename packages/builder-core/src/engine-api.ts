import { request } from "node:http";

export interface EngineResponse {
  statusCode: number;
  body: string;
}

/** One HTTP request to a dockerd over its Unix socket, with a deadline. */
export function engineRequest(
  socketPath: string,
  method: string,
  path: string,
  timeoutMs = 2_000,
): Promise<EngineResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method, path, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({ statusCode: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
      );
      res.on("error", reject);
    });
    req.on("timeout", () =>
      req.destroy(new Error(`engine did not answer ${path} in ${timeoutMs} ms`)),
    );
    req.on("error", reject);
    req.end();
  });
}

export async function pingEngine(socketPath: string, timeoutMs = 2_000): Promise<boolean> {
  try {
    const res = await engineRequest(socketPath, "GET", "/_ping", timeoutMs);
    return res.statusCode === 200 && res.body === "OK";
  } catch {
    return false;
  }
}
