import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ServerStore } from "./server.ts";

/** A stand-in for the ClickHouse HTTP interface that records what the driver sends. */
describe("ServerStore on the wire", () => {
  let server: Server;
  let url: string;
  const seen: { url: URL; body: string; auth: string | undefined }[] = [];

  beforeAll(async () => {
    server = createServer(async (req: IncomingMessage, res) => {
      let body = "";
      for await (const chunk of req) body += chunk;
      const u = new URL(req.url ?? "/", "http://x");
      seen.push({ url: u, body, auth: req.headers.authorization });
      res.setHeader("content-type", "application/x-ndjson");
      if (body.includes("version()")) res.end('{"version":"24.8.1.1"}\n');
      else res.end('{"a":"x"}\n{"a":"y"}\n');
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://slipway:s3cret@127.0.0.1:${(server.address() as AddressInfo).port}/telemetry`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  it("sends values as query parameters, never in the SQL, with the shared settings", async () => {
    const store = new ServerStore(url);
    expect(store.location).toMatch(/^http:\/\/slipway:\*\*\*@127\.0\.0\.1:\d+\/telemetry$/);
    const rows = await store.query("SELECT {org:String} AS a, {t:DateTime64(3, 'UTC')} AS t", {
      org: "' OR 1=1 --",
      t: new Date("2025-01-31T12:00:00.123Z"),
    });
    expect(rows).toEqual([{ a: "x" }, { a: "y" }]);
    const req = seen.at(-1);
    expect(req?.body).toContain("SELECT {org:String} AS a");
    expect(req?.body).not.toContain("OR 1=1");
    expect(req?.url.searchParams.get("param_org")).toBe("\\' OR 1=1 --");
    expect(req?.url.searchParams.get("param_t")).toBe("2025-01-31 12:00:00.123");
    expect(req?.url.searchParams.get("database")).toBe("telemetry");
    expect(req?.url.searchParams.get("date_time_output_format")).toBe("iso");
    expect(req?.url.searchParams.get("output_format_json_quote_64bit_integers")).toBe("0");
    expect(req?.auth).toBe(`Basic ${Buffer.from("slipway:s3cret").toString("base64")}`);

    expect(await store.ping()).toMatchObject({ status: "ok", version: "24.8.1.1" });
    await store.close();
  });

  it("reports an unreachable server from ping instead of throwing", async () => {
    const store = new ServerStore("http://127.0.0.1:1");
    const ping = await store.ping({ timeoutMs: 1000 });
    expect(ping.status).toBe("error");
    expect(ping.error).toBeTruthy();
    await store.close();
  });
});
