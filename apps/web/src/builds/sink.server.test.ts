import { randomUUID } from "node:crypto";
import { readFile, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  batchesOf,
  IngestSink,
  type RefusedEvent,
  refusedFile,
  SpoolSink,
  spoolFile,
  type TelemetryEventInput,
} from "./sink.server";

const event = (over: Partial<TelemetryEventInput> = {}): TelemetryEventInput => ({
  id: randomUUID(),
  schemaVersion: 1,
  orgId: "o",
  projectId: "p",
  time: "2025-01-31T12:00:00.000Z",
  type: "lint.finding",
  data: { buildId: "b", code: "DL3003", level: "warning", line: 2, message: "Use WORKDIR" },
  ...over,
});

interface Received {
  auth?: string;
  source?: string;
  body: TelemetryEventInput[];
}

/** A fake ingest answering with what `answer` says for each request. */
async function fakeIngest(
  answer: (req: Received, n: number) => { status: number; body?: unknown; headers?: object },
) {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const r: Received = {
        auth: req.headers.authorization,
        source: req.headers["x-slipway-source"] as string | undefined,
        body: JSON.parse(body),
      };
      received.push(r);
      const a = answer(r, received.length);
      res.writeHead(a.status, { "content-type": "application/json", ...a.headers });
      res.end(JSON.stringify(a.body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise((r) => server.close(r)),
  };
}

const lines = async <T>(file: string): Promise<T[]> =>
  (await readFile(file, "utf8").catch(() => ""))
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);

let stateDir: string;
let spool: SpoolSink;
beforeEach(() => {
  stateDir = join(tmpdir(), `slipway-sink-${process.pid}-${randomUUID().slice(0, 8)}`);
  spool = new SpoolSink(spoolFile(stateDir));
  vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(stateDir, { recursive: true, force: true });
});

describe("IngestSink", () => {
  it("posts a JSON array with the build's token as source builder; spools when ingest is unreachable", async () => {
    const ingest = await fakeIngest(() => ({ status: 202 }));
    try {
      const e = event();
      await new IngestSink(ingest.url, spool).send([e], { token: "slw_x" });
      expect(ingest.received).toEqual([{ auth: "Bearer slw_x", source: "builder", body: [e] }]);

      const a = event();
      const b = event();
      await new IngestSink("http://127.0.0.1:9", spool, 1_000).send([a, b]);
      expect(await lines(spoolFile(stateDir))).toEqual([a, b]);
    } finally {
      await ingest.close();
    }
  });

  it("cuts a build's events into requests under the byte limit, in order; spools from the first that fails", async () => {
    // steps with their logs: ~20 kB each, far over one small request
    const big = Array.from({ length: 12 }, (_, i) =>
      event({ type: "step", data: { n: i, logs: [{ text: "x".repeat(20_000) }] } }),
    );
    const ingest = await fakeIngest((_, n) => ({ status: n <= 3 ? 202 : 503 }));
    try {
      const sink = new IngestSink(ingest.url, spool, { retries: 0, maxBatchBytes: 64_000 });
      await sink.send(big, { token: "slw_x" });
      // 3 steps per request: the fourth request is refused for now and it and the rest spooled
      expect(ingest.received.map((r) => r.body.length)).toEqual([3, 3, 3, 3]);
      for (const r of ingest.received) expect(JSON.stringify(r.body).length).toBeLessThan(64_000);
      expect(ingest.received.slice(0, 3).flatMap((r) => r.body)).toEqual(big.slice(0, 9));
      expect(await lines(spoolFile(stateDir))).toEqual(big.slice(9));
    } finally {
      await ingest.close();
    }
  });

  it("on 207 keeps the refused events with their reasons in refused.ndjson, not in the spool", async () => {
    const good = event();
    const bad = event({ projectId: "elsewhere" });
    const ingest = await fakeIngest(() => ({
      status: 207,
      body: {
        status: "partial",
        accepted: 1,
        refused: 1,
        results: [
          { index: 0, id: good.id, status: "accepted" },
          {
            index: 1,
            id: bad.id,
            status: "refused",
            errors: [{ path: "projectId", message: "this API token can only write project p" }],
          },
        ],
      },
    }));
    try {
      const sink = new IngestSink(ingest.url, spool);
      await sink.send([good, bad], { token: "slw_x" });
      await sink.idle();
      const refused = await lines<RefusedEvent>(refusedFile(stateDir));
      expect(refused).toEqual([
        {
          refusedAt: expect.any(String),
          status: 207,
          errors: [{ path: "projectId", message: "this API token can only write project p" }],
          event: bad,
        },
      ]);
      expect(await lines(spoolFile(stateDir))).toEqual([]);
      expect(console.warn).toHaveBeenCalledWith(
        expect.stringMatching(/refused 1 telemetry events/),
      );
    } finally {
      await ingest.close();
    }
  });

  it("retries after 429/503 (honouring Retry-After, capped) and spools when ingest stays busy", async () => {
    let busy = 2;
    const ingest = await fakeIngest(() =>
      busy-- > 0 ? { status: 429, headers: { "retry-after": "5" } } : { status: 202 },
    );
    try {
      const e = event();
      const started = Date.now();
      await new IngestSink(ingest.url, spool, { maxRetryDelayMs: 50 }).send([e], { token: "t" });
      expect(ingest.received).toHaveLength(3);
      expect(Date.now() - started).toBeLessThan(2_000); // the 5 s Retry-After was capped
      expect(await lines(spoolFile(stateDir))).toEqual([]);

      busy = 10;
      const later = event();
      await new IngestSink(ingest.url, spool, { maxRetryDelayMs: 10, retries: 1 }).send([later]);
      expect(await lines(spoolFile(stateDir))).toEqual([later]);
    } finally {
      await ingest.close();
    }
  });

  it("replays the spool of the same org and project after the next delivery", async () => {
    let down = true;
    const ingest = await fakeIngest(() => (down ? { status: 503 } : { status: 202 }));
    try {
      const sink = new IngestSink(ingest.url, spool, { retries: 0, replayBatch: 2 });
      const spooled = [event(), event(), event()];
      const otherProject = event({ projectId: "q" });
      await sink.send(spooled, { token: "t" });
      await sink.send([otherProject], { token: "t2" });
      expect(await lines(spoolFile(stateDir))).toEqual([...spooled, otherProject]);

      down = false;
      const fresh = event();
      await sink.send([fresh], { token: "t" });
      await sink.idle();
      const delivered = ingest.received.filter((r) => r.auth === "Bearer t").flatMap((r) => r.body);
      // 1 failed try of the first 2 spooled ones (requests hold 2 events here), then the fresh
      // event, then the spool in batches of 2.
      expect(delivered.slice(2)).toEqual([fresh, ...spooled]);
      expect(ingest.received.slice(-2).map((r) => r.body.length)).toEqual([2, 1]);
      // The other project's event waits for a delivery of its own.
      expect(await lines(spoolFile(stateDir))).toEqual([otherProject]);
    } finally {
      await ingest.close();
    }
  });

  it("puts replayed events back in the spool when ingest fails again mid-replay", async () => {
    let calls = 0;
    const ingest = await fakeIngest(() => {
      calls++;
      return calls === 1 ? { status: 202 } : { status: 503 };
    });
    try {
      const spooled = [event(), event()];
      await spool.send(spooled);
      const sink = new IngestSink(ingest.url, spool, { retries: 0 });
      await sink.send([event()], { token: "t" });
      await sink.idle();
      expect(await lines(spoolFile(stateDir))).toEqual(spooled);
    } finally {
      await ingest.close();
    }
  });
});

describe("SpoolSink.take", () => {
  it("removes only the matching events and keeps unreadable lines", async () => {
    const a = event({ orgId: "a" });
    const b = event({ orgId: "b" });
    await spool.send([a, b]);
    const { appendFile } = await import("node:fs/promises");
    await appendFile(spoolFile(stateDir), "not json\n");
    expect(await spool.take((e) => e.orgId === "a")).toEqual([a]);
    const rest = (await readFile(spoolFile(stateDir), "utf8")).trim().split("\n");
    expect(rest).toEqual([JSON.stringify(b), "not json"]);
  });
});

describe("batchesOf", () => {
  it("keeps the order, the event limit and the byte limit; an oversized event goes alone", () => {
    const small = Array.from({ length: 5 }, () => event());
    const huge = event({ data: { text: "y".repeat(5_000) } });
    const size = JSON.stringify(small[0]).length + 1;
    const batches = batchesOf([...small, huge, ...small], {
      maxEvents: 4,
      maxBytes: 2 + size * 3,
    });
    expect(batches.map((b) => b.length)).toEqual([3, 2, 1, 3, 2]);
    expect(batches.flat()).toEqual([...small, huge, ...small]);
    expect(batchesOf([], { maxEvents: 1, maxBytes: 1 })).toEqual([]);
    expect(batchesOf(small, { maxEvents: 2, maxBytes: 1e9 }).map((b) => b.length)).toEqual([
      2, 2, 1,
    ]);
  });
});
