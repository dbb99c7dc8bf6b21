import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { Readable } from "node:stream";

/**
 * Serves a fetch-style handler (Request → Response) on node:http, streaming both bodies. Used
 * by the API's integration tests; React Router's server does the same for the app.
 */
export function serveFetchHandler(handler: (request: Request) => Promise<Response>): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const controller = new AbortController();
      res.on("close", () => controller.abort());
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (Array.isArray(value)) for (const v of value) headers.append(name, v);
        else if (value !== undefined) headers.set(name, value);
      }
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      const request = new Request(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, {
        method: req.method ?? "GET",
        headers,
        signal: controller.signal,
        ...(hasBody && {
          body: Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>,
          duplex: "half",
        }),
      } as RequestInit);
      const response = await handler(request);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      if (!response.body) {
        res.end();
        return;
      }
      const body = Readable.fromWeb(
        response.body as unknown as import("node:stream/web").ReadableStream<Uint8Array>,
      );
      res.on("close", () => body.destroy());
      body.pipe(res);
    })().catch((error) => {
      console.error("[slipway api] node adapter failed", error);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
}
