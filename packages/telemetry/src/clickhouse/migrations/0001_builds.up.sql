-- Builds and their BuildKit steps. Every table is keyed tenant-first and ends its key with the
-- event id, so a re-sent event (same id) collapses into one row when parts merge; readers use
-- FINAL. `source` says who wrote the row ('builder', 'cli', 'github', 'seed').

CREATE TABLE IF NOT EXISTS builds_v1
(
    org_id            String,
    project_id        String,
    build_id          String,
    event_id          UUID,
    event_type        LowCardinality(String),
    time              DateTime64(3, 'UTC'),
    number            UInt32,
    platforms         Array(LowCardinality(String)),
    status            LowCardinality(String),
    queued_at         Nullable(DateTime64(3, 'UTC')),
    started_at        Nullable(DateTime64(3, 'UTC')),
    finished_at       Nullable(DateTime64(3, 'UTC')),
    duration_ms       Nullable(UInt64),
    step_count        Nullable(UInt32),
    cached_step_count Nullable(UInt32),
    git_ref           Nullable(String),
    git_sha           Nullable(String),
    error             Nullable(String),
    image_digest      Nullable(String),
    source            LowCardinality(String),
    ingested_at       DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMM(time)
ORDER BY (org_id, project_id, build_id, event_id);

CREATE TABLE IF NOT EXISTS build_steps_v1
(
    org_id          String,
    project_id      String,
    build_id        String,
    event_id        UUID,
    time            DateTime64(3, 'UTC'),
    digest          String,
    name            String,
    stage           LowCardinality(Nullable(String)),
    platform        LowCardinality(Nullable(String)),
    dockerfile_line Nullable(UInt32),
    started_at      Nullable(DateTime64(3, 'UTC')),
    completed_at    Nullable(DateTime64(3, 'UTC')),
    duration_ms     Nullable(UInt64),
    cached          Bool,
    error           Nullable(String),
    inputs          Array(String),
    source          LowCardinality(String),
    ingested_at     DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMM(time)
ORDER BY (org_id, project_id, build_id, event_id);
