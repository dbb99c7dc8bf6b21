import { appendFile, mkdir } from "node:fs/promises";
import { join } from "node:path";

/**
 * A telemetry event as packages/telemetry's `src/events/` schemas describe it (envelope plus
 * `type` and `data`). Kept structural here so the web app does not load the telemetry store.
 */
export interface TelemetryEventInput {
  id: string;
  schemaVersion: 1;
  orgId: string;
  projectId: string | null;
  time: string;
  type: string;
  data: Record<string, unknown>;
}

/** Where build telemetry (steps, lint findings, build start/finish) goes. */
export interface BuildEventSink {
  /**
   * Never throws: a sink that cannot deliver keeps the events somewhere else. `token` is the API
   * token of the request that started the build (ingest authenticates events with it).
   */
  send(events: TelemetryEventInput[], auth?: { token?: string }): Promise<void>;
}

export function spoolFile(stateDir: string): string {
  return join(stateDir, "spool", "events.ndjson");
}

/** Appends events as NDJSON to `$SLIPWAY_STATE_DIR/spool/events.ndjson` (one line each). */
export class SpoolSink implements BuildEventSink {
  #chain: Promise<void> = Promise.resolve();
  constructor(readonly file: string) {}

  send(events: TelemetryEventInput[]): Promise<void> {
    if (events.length === 0) return this.#chain;
    const text = events.map((event) => `${JSON.stringify(event)}\n`).join("");
    // appends are serialised so lines from concurrent builds never interleave
    this.#chain = this.#chain.then(async () => {
      try {
        await mkdir(join(this.file, ".."), { recursive: true });
        await appendFile(this.file, text, { mode: 0o600 });
      } catch (error) {
        console.error(`[slipway builds] could not spool ${events.length} events`, error);
      }
    });
    return this.#chain;
  }
}

/**
 * Sends events to ingest (`POST <INGEST_URL>/v1/events`, a JSON array, with the build's API token
 * as bearer); when ingest is unreachable or refuses them, they go to the spool instead so nothing
 * is lost.
 */
export class IngestSink implements BuildEventSink {
  constructor(
    readonly ingestUrl: string,
    readonly fallback: BuildEventSink,
    readonly timeoutMs = 5_000,
  ) {}

  async send(events: TelemetryEventInput[], auth: { token?: string } = {}): Promise<void> {
    if (events.length === 0) return;
    try {
      const response = await fetch(new URL("/v1/events", this.ingestUrl), {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(auth.token && { authorization: `Bearer ${auth.token}` }),
        },
        body: JSON.stringify(events),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await response.body?.cancel().catch(() => undefined);
      if (response.ok) return;
      throw new Error(`ingest answered ${response.status}`);
    } catch {
      await this.fallback.send(events);
    }
  }
}
