import { clickhouseDataPath, resolveStateDir } from "../paths.ts";
import { EmbeddedStore } from "./embedded.ts";
import { ServerStore } from "./server.ts";
import type { TelemetryStore } from "./store.ts";

export interface StoreEnv {
  /** When set, a ClickHouse server is used instead of the embedded engine. */
  CLICKHOUSE_URL?: string | undefined;
  /** The embedded engine keeps its data in `$SLIPWAY_STATE_DIR/clickhouse`. */
  SLIPWAY_STATE_DIR?: string | undefined;
}

/**
 * Picks the driver: a server when CLICKHOUSE_URL is set, else the embedded engine with its data
 * under the state directory (which only one process can hold open at a time).
 */
export function createStore(env: StoreEnv = process.env): TelemetryStore {
  const url = env.CLICKHOUSE_URL?.trim();
  if (url) return new ServerStore(url);
  return EmbeddedStore.open(clickhouseDataPath(resolveStateDir(env)));
}
