import { readFile, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { IngestSink, SpoolSink, spoolFile, type TelemetryEventInput } from "./sink.server";

const event: TelemetryEventInput = {
  id: "6ba7b810-9dad-41d1-80b4-00c04fd430c8",
  schemaVersion: 1,
  orgId: "o",
  projectId: "p",
  time: "2025-01-31T12:00:00.000Z",
  type: "lint.finding",
  data: { buildId: "b", code: "DL3003", level: "warning", line: 2, message: "Use WORKDIR" },
};

describe("IngestSink", () => {
  it("posts a JSON array with the build's token; spools when ingest is unreachable", async () => {
    const stateDir = join(tmpdir(), `slipway-sink-${process.pid}-${Date.now()}`);
    const spool = new SpoolSink(spoolFile(stateDir));
    let received: { auth?: string; body: unknown } | undefined;
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => (body += chunk));
      req.on("end", () => {
        received = { auth: req.headers.authorization, body: JSON.parse(body) };
        res.writeHead(202).end("{}");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await new IngestSink(url, spool).send([event], { token: "slw_x" });
      expect(received).toEqual({ auth: "Bearer slw_x", body: [event] });

      await new IngestSink("http://127.0.0.1:9", spool, 1_000).send([event, event]);
      const lines = (await readFile(spoolFile(stateDir), "utf8")).trim().split("\n");
      expect(lines.map((line) => JSON.parse(line))).toEqual([event, event]);
    } finally {
      server.close();
      await rm(stateDir, { recursive: true, force: true });
    }
  });
});
