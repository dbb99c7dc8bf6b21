import { z } from "zod";
import { type EngineTarget, engineJson } from "./engine-api.ts";

const recordSchema = z.object({
  ID: z.string(),
  Parent: z.string().nullish(),
  Type: z.string(),
  Description: z.string().nullish(),
  InUse: z.boolean(),
  Shared: z.boolean(),
  Size: z.number(),
  CreatedAt: z.string().nullish(),
  LastUsedAt: z.string().nullish(),
  UsageCount: z.number(),
});

const dfSchema = z.object({ BuildCache: z.array(recordSchema).nullish() });

export interface CacheRecord {
  id: string;
  parent?: string;
  type: string;
  description?: string;
  inUse: boolean;
  shared: boolean;
  sizeBytes: number;
  createdAt?: string;
  lastUsedAt?: string;
  usageCount: number;
}

export interface CacheUsage {
  records: CacheRecord[];
  count: number;
  totalBytes: number;
  /** Not in use and not shared with images: what a prune can free. */
  reclaimableBytes: number;
  sharedBytes: number;
  inUseBytes: number;
}

/** dockerd runs one disk-usage operation at a time and answers 500 to a second one meanwhile. */
const DF_BUSY = /a disk usage operation is already running/;
const DF_RETRY_DELAYS_MS = [250, 500, 1000, 2000];

/** `GET /system/df`, waiting out another reader of the same engine (the pool, a page, a build). */
async function systemDf(engine: EngineTarget) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await engineJson(engine, "GET", "/v1.41/system/df", dfSchema, 60_000);
    } catch (error) {
      const delayMs = DF_RETRY_DELAYS_MS[attempt];
      if (delayMs === undefined || !(error instanceof Error) || !DF_BUSY.test(error.message)) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

/** The engine's BuildKit cache records and their totals (from `GET /system/df`). */
export async function cacheUsage(engine: EngineTarget): Promise<CacheUsage> {
  const df = await systemDf(engine);
  const records: CacheRecord[] = (df.BuildCache ?? []).map((record) => ({
    id: record.ID,
    ...(record.Parent && { parent: record.Parent }),
    type: record.Type,
    ...(record.Description && { description: record.Description }),
    inUse: record.InUse,
    shared: record.Shared,
    sizeBytes: record.Size,
    ...(record.CreatedAt && { createdAt: record.CreatedAt }),
    ...(record.LastUsedAt && { lastUsedAt: record.LastUsedAt }),
    usageCount: record.UsageCount,
  }));
  const sum = (filter: (record: CacheRecord) => boolean) =>
    records.filter(filter).reduce((total, record) => total + record.sizeBytes, 0);
  return {
    records,
    count: records.length,
    totalBytes: sum(() => true),
    reclaimableBytes: sum((record) => !record.inUse && !record.shared),
    sharedBytes: sum((record) => record.shared),
    inUseBytes: sum((record) => record.inUse),
  };
}

export const pruneOptionsSchema = z.object({
  /** Keep at most this many bytes of cache (least recently used goes first). */
  keepStorageBytes: z.number().int().nonnegative().optional(),
  /** BuildKit prune filters, e.g. { until: ["24h"], type: ["regular"] }. */
  filters: z.record(z.string(), z.array(z.string())).optional(),
  /** Also remove records that are shared with images or internal. */
  all: z.boolean().default(false),
});
export type PruneOptions = z.input<typeof pruneOptionsSchema>;

export interface PruneResult {
  deletedIds: string[];
  reclaimedBytes: number;
}

const pruneResponseSchema = z.object({
  CachesDeleted: z.array(z.string()).nullish(),
  SpaceReclaimed: z.number(),
});

export async function pruneCache(
  engine: EngineTarget,
  options: PruneOptions = {},
): Promise<PruneResult> {
  const parsed = pruneOptionsSchema.parse(options);
  const query = new URLSearchParams();
  if (parsed.keepStorageBytes !== undefined) {
    query.set("keep-storage", String(parsed.keepStorageBytes));
  }
  if (parsed.filters) query.set("filters", JSON.stringify(parsed.filters));
  if (parsed.all) query.set("all", "1");
  const result = await engineJson(
    engine,
    "POST",
    `/v1.41/build/prune?${query}`,
    pruneResponseSchema,
    120_000,
  );
  return { deletedIds: result.CachesDeleted ?? [], reclaimedBytes: result.SpaceReclaimed };
}

export interface CacheLimitResult {
  limitBytes: number;
  beforeBytes: number;
  afterBytes: number;
  pruned: boolean;
  reclaimedBytes: number;
}

/** Prunes the cache down to `limitBytes` when it is over it; otherwise leaves it as it is. */
export async function enforceCacheLimit(
  engine: EngineTarget,
  limitBytes: number,
  /** The engine's cache as just read, when the caller has it (saves a `GET /system/df`). */
  usage?: CacheUsage,
): Promise<CacheLimitResult> {
  const limit = z.number().int().nonnegative().parse(limitBytes);
  const before = usage ?? (await cacheUsage(engine));
  if (before.totalBytes <= limit) {
    return {
      limitBytes: limit,
      beforeBytes: before.totalBytes,
      afterBytes: before.totalBytes,
      pruned: false,
      reclaimedBytes: 0,
    };
  }
  const result = await pruneCache(engine, { keepStorageBytes: limit });
  const after = await cacheUsage(engine);
  return {
    limitBytes: limit,
    beforeBytes: before.totalBytes,
    afterBytes: after.totalBytes,
    pruned: true,
    reclaimedBytes: result.reclaimedBytes,
  };
}

export interface CacheRetentionResult {
  retentionMs: number;
  beforeBytes: number;
  afterBytes: number;
  pruned: boolean;
  deletedIds: string[];
  reclaimedBytes: number;
}

/** BuildKit's `until` takes a Go duration; whole seconds, at least one. */
const goDuration = (ms: number) => `${Math.max(1, Math.floor(ms / 1000))}s`;

/**
 * Prunes the records not used for longer than `retentionMs` (a project's cache retention): the
 * engine's `until` prune filter, which BuildKit applies to each record's last use, with `all`:
 * a build's layers are shared with its image, and a prune without `all` leaves shared records
 * (measured: the record of a RUN stayed). Records a running build holds are never pruned.
 */
export async function enforceCacheRetention(
  engine: EngineTarget,
  retentionMs: number,
  /** The engine's cache as just read, when the caller has it (saves a `GET /system/df`). */
  usage?: CacheUsage,
): Promise<CacheRetentionResult> {
  const retention = z.number().int().positive().parse(retentionMs);
  const before = usage ?? (await cacheUsage(engine));
  const cutoff = Date.now() - retention;
  const stale = before.records.filter(
    (record) => !record.inUse && Date.parse(record.lastUsedAt ?? record.createdAt ?? "") < cutoff,
  );
  if (stale.length === 0) {
    return {
      retentionMs: retention,
      beforeBytes: before.totalBytes,
      afterBytes: before.totalBytes,
      pruned: false,
      deletedIds: [],
      reclaimedBytes: 0,
    };
  }
  const result = await pruneCache(engine, {
    filters: { until: [goDuration(retention)] },
    all: true,
  });
  const after = await cacheUsage(engine);
  return {
    retentionMs: retention,
    beforeBytes: before.totalBytes,
    afterBytes: after.totalBytes,
    pruned: result.deletedIds.length > 0,
    deletedIds: result.deletedIds,
    reclaimedBytes: result.reclaimedBytes,
  };
}
