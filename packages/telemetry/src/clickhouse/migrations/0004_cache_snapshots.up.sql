-- Build cache state per project over time (size, reclaimable bytes, hit/miss counts).
CREATE TABLE IF NOT EXISTS cache_snapshots_v1
(
    org_id            String,
    project_id        String,
    event_id          UUID,
    time              DateTime64(3, 'UTC'),
    builder_id        Nullable(String),
    size_bytes        UInt64,
    reclaimable_bytes UInt64,
    entry_count       UInt64,
    hit_count         UInt64,
    miss_count        UInt64,
    source            LowCardinality(String),
    ingested_at       DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMM(time)
ORDER BY (org_id, project_id, time, event_id);
