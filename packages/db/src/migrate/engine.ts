// Why this module exists: every Prisma CLI command that touches migrations (`migrate deploy`,
// `migrate dev`, `migrate diff`, `db push`) downloads a native schema-engine binary first, and
// that download cannot happen on Slipway's machines (no network beyond package registries) nor
// in air-gapped self-hosted installs. The same engine ships as WebAssembly in
// `@prisma/schema-engine-wasm`, which talks to PostgreSQL through a JS driver adapter
// (`@prisma/adapter-pg`). This module loads that WASM build in Node and hands it a pg adapter,
// so applying, creating and checking migrations works fully offline and writes exactly what
// `prisma migrate` would (same SQL, same `_prisma_migrations` table, same folder layout).
// See docs/decisions/001-prisma-migrations-offline.md.

import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import * as wasmGlue from "@prisma/schema-engine-wasm/schema_engine_bg";
import pg from "pg";

export type { SchemaEngine } from "@prisma/schema-engine-wasm/schema_engine_bg";

import type { SchemaEngine } from "@prisma/schema-engine-wasm/schema_engine_bg";

let glue: Promise<typeof wasmGlue> | undefined;

// The WebAssembly global is not in the ES lib TypeScript uses here (it lives in lib.dom).
interface WasmRuntime {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, object>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
const { WebAssembly: Wasm } = globalThis as unknown as { WebAssembly: WasmRuntime };

/** Instantiates the bundler-target WASM build once per process. */
export function loadSchemaEngineWasm(): Promise<typeof wasmGlue> {
  glue ??= (async () => {
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve("@prisma/schema-engine-wasm"));
    const bytes = await readFile(path.join(dir, "schema_engine_bg.wasm"));
    // The engine races each query against a 10 s timer and never clears it; unref'd timers
    // let a finished CLI exit at once instead of idling for those 10 s.
    const imports: Record<string, unknown> = { ...wasmGlue };
    for (const [name, fn] of Object.entries(wasmGlue)) {
      if (name.startsWith("__wbg_setTimeout_") && typeof fn === "function") {
        imports[name] = (...args: unknown[]) => {
          const timer = (fn as (...a: unknown[]) => { unref?: () => void })(...args);
          timer?.unref?.();
          return timer;
        };
      }
    }
    const { instance } = await Wasm.instantiate(bytes, { "./schema_engine_bg.js": imports });
    wasmGlue.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
    return wasmGlue;
  })();
  return glue;
}

/** PostgreSQL's internal one-byte `"char"` type (pg_class.relkind and friends). */
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

type FieldsResult = { fields?: { dataTypeID: number }[] } | undefined;
type Callback = (err: unknown, res: FieldsResult) => void;

function charAsText<T extends FieldsResult>(res: T): T {
  for (const field of res?.fields ?? []) {
    if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
  }
  return res;
}

/**
 * The engine describes a database by reading pg_catalog columns of type `"char"`, which
 * @prisma/adapter-pg 7.10 rejects as an unsupported column type ("Column type 'char' could not
 * be deserialized"). Its values are plain one-character strings, so we report them as text.
 */
class CatalogFriendlyClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg's overloaded query signature
  override query(...args: any[]): any {
    const last = args[args.length - 1];
    if (typeof last === "function") {
      const cb = last as Callback;
      args[args.length - 1] = (err: unknown, res: FieldsResult) =>
        cb(err, err ? res : charAsText(res));
    }
    // biome-ignore lint/suspicious/noExplicitAny: forwarding the same overloaded arguments
    const result = (super.query as (...a: any[]) => any)(...args);
    if (result && typeof result.then === "function") {
      return (result as Promise<FieldsResult>).then(charAsText);
    }
    return result;
  }
}

function poolConfig(url: string): pg.PoolConfig {
  return {
    connectionString: url,
    Client: CatalogFriendlyClient,
    max: 2,
    allowExitOnIdle: true,
    connectionTimeoutMillis: 10_000,
  };
}

/** Replaces the database name of a PostgreSQL URL. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ""));
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Runs `fn` with a plain pg client on the server's `postgres` maintenance database. */
export async function withAdminClient<T>(
  url: string,
  fn: (c: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(url, "postgres") });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A migration-aware adapter factory for the engine. Unlike PrismaPg's own shadow database
 * support, it creates the shadow database through a separate admin connection and drops it
 * (WITH FORCE) after closing its pool, and it closes every pool the engine opened.
 */
class MigrationAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "postgres" as const;
  readonly adapterName = "@slipway/db-migrate";
  private readonly open = new Set<SqlDriverAdapter>();

  constructor(private readonly url: string) {}

  private track(adapter: SqlDriverAdapter, after?: () => Promise<void>): SqlDriverAdapter {
    // PrismaPg's executeScript splits a migration on every ";", which breaks function bodies
    // ($$ ... ; ... $$, e.g. trigger functions). PostgreSQL's simple query protocol runs a whole
    // multi-statement script itself (as one implicit transaction), so hand it over unsplit.
    const driver = (
      adapter as { underlyingDriver?: () => { query?: (sql: string) => Promise<unknown> } }
    ).underlyingDriver?.();
    const query = driver?.query?.bind(driver);
    if (query) {
      adapter.executeScript = async (script: string) => {
        await query(script);
      };
    }
    const dispose = adapter.dispose.bind(adapter);
    let disposed: Promise<void> | undefined;
    adapter.dispose = () => {
      disposed ??= (async () => {
        this.open.delete(adapter);
        try {
          await dispose();
        } finally {
          await after?.();
        }
      })();
      return disposed;
    };
    this.open.add(adapter);
    return adapter;
  }

  async connect(): Promise<SqlDriverAdapter> {
    return this.track(await new PrismaPg(poolConfig(this.url)).connect());
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const name = `slipway_shadow_${randomUUID().replaceAll("-", "")}`;
    await withAdminClient(this.url, (c) => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
    const adapter = await new PrismaPg(poolConfig(withDatabase(this.url, name))).connect();
    return this.track(adapter, () =>
      withAdminClient(this.url, async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      }),
    );
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.open].map((a) => a.dispose()));
  }
}

export interface SchemaFile {
  path: string;
  content: string;
}

export const noFilters = { externalTables: [], externalEnums: [] };

/** Turns the engine's "External error id#N" into the underlying driver error's message. */
function explain(err: unknown, registry: { consumeError(id: number): unknown } | undefined): Error {
  const message = err instanceof Error ? err.message : String(err);
  const match = /External error id#(\d+)/.exec(message);
  if (match && registry) {
    const entry = registry.consumeError(Number(match[1])) as { error?: unknown } | undefined;
    const inner = entry?.error;
    if (inner) {
      const detail = inner instanceof Error ? inner.message : JSON.stringify(inner);
      return new Error(`${message.split("\n")[0]}: ${detail}`, { cause: err });
    }
  }
  return err instanceof Error ? err : new Error(message);
}

/**
 * Starts a schema engine connected to `url` (used for the live database and as the server on
 * which temporary shadow databases are created), runs `fn`, then frees the engine and every
 * connection it opened.
 */
export async function withSchemaEngine<T>(
  url: string,
  schema: SchemaFile[],
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const { SchemaEngine } = await loadSchemaEngineWasm();
  const factory = new MigrationAdapterFactory(url);
  const bound = bindMigrationAwareSqlAdapterFactory(factory);
  const registry = (bound as { errorRegistry?: { consumeError(id: number): unknown } })
    .errorRegistry;
  const log = (line: string) => {
    if (process.env.SLIPWAY_MIGRATE_DEBUG) process.stderr.write(`[schema-engine] ${line}\n`);
  };
  let engine: SchemaEngine | undefined;
  try {
    engine = await SchemaEngine.new(
      { datamodels: schema.map((f) => [f.path, f.content] as [string, string]) },
      log,
      bound,
    );
    return await fn(engine);
  } catch (err) {
    throw explain(err, registry);
  } finally {
    engine?.free();
    await factory.close();
  }
}
