export { createStore, type StoreEnv } from "./clickhouse/create-store.ts";
export { EmbeddedStore, StoreLockedError } from "./clickhouse/embedded.ts";
export {
  appliedMigrations,
  loadMigrations,
  type MigrateResult,
  type Migration,
  migrateClickHouse,
  rollbackClickHouse,
} from "./clickhouse/migrate.ts";
export { redactUrl, ServerStore } from "./clickhouse/server.ts";
export type {
  EncodedFormat,
  EncodedRows,
  ParamValue,
  PingResult,
  QueryOptions,
  QueryParams,
  Row,
  RowValue,
  TelemetryStore,
} from "./clickhouse/store.ts";
export {
  concatEncoded,
  encodeRows,
  toClickHouseDateTime,
  tsvString,
  tsvValue,
} from "./clickhouse/store.ts";
export * from "./events/index.ts";
export { clickhouseDataPath, findRepoRoot, resolveStateDir } from "./paths.ts";
export * from "./queries/index.ts";
export {
  generateSeedEvents,
  SEED_VERSION,
  type SeedTelemetryInput,
  type SeedTelemetryResult,
  seedBuildInput,
  seedDockerfiles,
  seedTelemetry,
  seedTelemetryInput,
} from "./seed/index.ts";
export {
  COLUMNS,
  type EventSource,
  encodeEvents,
  eventToRow,
  rowTsv,
  TABLES,
  type TableName,
  writeEvents,
} from "./write.ts";

import { createStore, type StoreEnv } from "./clickhouse/create-store.ts";
import { migrateClickHouse } from "./clickhouse/migrate.ts";
import type { TelemetryStore } from "./clickhouse/store.ts";

/** createStore + migrateClickHouse: what a long-running service calls at start. */
export async function openTelemetryStore(env: StoreEnv = process.env): Promise<TelemetryStore> {
  const store = createStore(env);
  try {
    await migrateClickHouse(store);
    return store;
  } catch (err) {
    await store.close();
    throw err;
  }
}
