import { TelemetryUnavailableError } from "../telemetry/query.server";

/** Insights from ingest, or why there are none: pages show the reason instead of failing. */
export type Insight<T> = { ok: true; data: T } | { ok: false; reason: string };

export async function insight<T>(load: () => Promise<T>): Promise<Insight<T>> {
  try {
    return { ok: true, data: await load() };
  } catch (error) {
    // Only ingest being down or answering an error is expected; anything else is a bug to see.
    if (error instanceof TelemetryUnavailableError) return { ok: false, reason: error.message };
    throw error;
  }
}
