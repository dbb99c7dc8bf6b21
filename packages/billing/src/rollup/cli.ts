// `npm run recompute -w @slipway/billing -- <from YYYY-MM-DD> <to YYYY-MM-DD> [orgId...]`:
// queues a recompute of the usage of [from, to) from the raw events. Ingest's worker runs it
// (it owns the telemetry store); the rows of those days are replaced, so the result is the same
// however often it runs.
import { enqueueRecompute } from "./worker.ts";

const [from, to, ...orgIds] = process.argv.slice(2);
if (!from || !to) {
  process.stderr.write("usage: recompute <from YYYY-MM-DD> <to YYYY-MM-DD> [orgId...]\n");
  process.exit(2);
}
const id = await enqueueRecompute(
  process.env.REDIS_URL ?? "redis://127.0.0.1:16379",
  process.env.INGEST_QUEUE_PREFIX ?? "slipway",
  { from, to, ...(orgIds.length > 0 && { orgIds }) },
);
process.stdout.write(`queued recompute ${from} .. ${to} (job ${id})\n`);
