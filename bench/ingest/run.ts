// End-to-end ingest (HTTP batches of 1,000 step events → BullMQ → worker → ClickHouse rows
// readable with FINAL) against a raw batched insert of the same rows into the same embedded
// store. Loopback only; bounded (default 200,000 events).
//
//   npx tsx bench/ingest/run.ts [events] [concurrency]   (needs PostgreSQL and Redis from scripts/start,
//                                                          and the test template: run the integration tests once)

import { prepareTestTemplate } from "@slipway/db/testing";
import { parseTelemetryEvent, type TelemetryEvent } from "@slipway/telemetry";
import { eventsToRows } from "../../apps/ingest/src/insert-buffer.ts";
import { countSteps, createHarness, stepEvent } from "../../apps/ingest/src/testing.ts";

const TOTAL = Math.min(Number(process.argv[2] ?? 200_000), 1_000_000);
const CONCURRENCY = Number(process.argv[3] ?? 8);
const BATCH = 1_000;

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

await prepareTestTemplate().catch(() => undefined);
const h = await createHarness({ server: { limits: { maxBacklog: 100_000 } } });
try {
  const address = await h.app.listen({ host: "127.0.0.1", port: 0 });
  const worker = h.startWorker({
    flushRows: 20_000,
    flushMs: 200,
    concurrency: 16,
    lockDurationMs: 30_000,
    stalledIntervalMs: 30_000,
  });

  const bodies: string[] = [];
  for (let i = 0; i < TOTAL; i += BATCH) {
    bodies.push(
      JSON.stringify(
        Array.from({ length: Math.min(BATCH, TOTAL - i) }, () => stepEvent(h.org.id, h.project.id)),
      ),
    );
  }
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);

  // --- end to end over HTTP
  const acks: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const t = performance.now();
        const res = await fetch(`${address}/v1/events`, {
          method: "POST",
          headers: { authorization: `Bearer ${h.orgToken}`, "content-type": "application/json" },
          body,
        });
        await res.arrayBuffer();
        if (res.status !== 202) throw new Error(`HTTP ${res.status}`);
        acks.push(performance.now() - t);
      }
    }),
  );
  const ackedAt = performance.now();
  while ((await countSteps(h.store, h.org.id)) < TOTAL)
    await new Promise((r) => setTimeout(r, 100));
  const e2eMs = performance.now() - started;
  clearInterval(sampler);
  await worker.close();

  // --- raw batched insert of the same rows (another org id, same table, same store)
  const rawEvents: TelemetryEvent[] = [];
  for (const body of bodies) {
    for (const e of JSON.parse(body) as unknown[]) {
      const r = parseTelemetryEvent({ ...(e as object), orgId: h.otherOrg.id });
      if (r.ok) rawEvents.push(r.event);
    }
  }
  const rawStart = performance.now();
  for (let i = 0; i < rawEvents.length; i += 20_000) {
    const rows = eventsToRows(rawEvents.slice(i, i + 20_000), "cli");
    for (const [table, list] of rows) await h.store.insert(table, list);
  }
  const rawMs = performance.now() - rawStart;
  const rawCount = await countSteps(h.store, h.otherOrg.id);

  acks.sort((a, b) => a - b);
  const e2eRate = TOTAL / (e2eMs / 1000);
  const rawRate = rawCount / (rawMs / 1000);
  console.log(
    `\ningest bench: ${TOTAL} step events, batches of ${BATCH}, ${CONCURRENCY} concurrent clients, embedded ClickHouse\n`,
  );
  console.table({
    "end to end (HTTP → queue → rows)": {
      "events/s": Math.round(e2eRate),
      seconds: +(e2eMs / 1000).toFixed(2),
    },
    "raw batched insert": { "events/s": Math.round(rawRate), seconds: +(rawMs / 1000).toFixed(2) },
  });
  console.table({
    "end-to-end / raw": +(e2eRate / rawRate).toFixed(2),
    "all acked after (s)": +((ackedAt - started) / 1000).toFixed(2),
    "time-to-ack p50 (ms)": +pct(acks, 0.5).toFixed(1),
    "time-to-ack p99 (ms)": +pct(acks, 0.99).toFixed(1),
    "peak RSS (ingest + bench client)": mb(peakRss),
  });
} finally {
  await h.close();
}
