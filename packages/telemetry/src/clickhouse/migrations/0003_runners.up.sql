-- GitHub Actions jobs and steps (workflow_job webhooks). A job may not belong to a Slipway
-- project (project_id NULL), so these are keyed by org, then repository; project_id is not part
-- of the key, so linking a repository to a project later does not split a re-sent event.
-- A job reports several times (queued, in progress, completed): each report is its own event,
-- and readers take the latest per job_id.

CREATE TABLE IF NOT EXISTS runner_jobs_v1
(
    org_id       String,
    project_id   Nullable(String),
    event_id     UUID,
    time         DateTime64(3, 'UTC'),
    repository   String,
    workflow     String,
    run_id       UInt64,
    run_attempt  UInt32,
    job_id       UInt64,
    job_name     String,
    labels       Array(LowCardinality(String)),
    runner_name  Nullable(String),
    runner_group LowCardinality(Nullable(String)),
    status       LowCardinality(String),
    conclusion   LowCardinality(Nullable(String)),
    queued_at    DateTime64(3, 'UTC'),
    started_at   Nullable(DateTime64(3, 'UTC')),
    completed_at Nullable(DateTime64(3, 'UTC')),
    queue_ms     Nullable(UInt64),
    duration_ms  Nullable(UInt64),
    head_branch  Nullable(String),
    head_sha     Nullable(String),
    source       LowCardinality(String),
    ingested_at  DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMM(time)
ORDER BY (org_id, repository, run_id, job_id, event_id);

CREATE TABLE IF NOT EXISTS runner_steps_v1
(
    org_id       String,
    project_id   Nullable(String),
    event_id     UUID,
    time         DateTime64(3, 'UTC'),
    repository   String,
    run_id       UInt64,
    run_attempt  UInt32,
    job_id       UInt64,
    number       UInt32,
    name         String,
    status       LowCardinality(String),
    conclusion   LowCardinality(Nullable(String)),
    started_at   Nullable(DateTime64(3, 'UTC')),
    completed_at Nullable(DateTime64(3, 'UTC')),
    duration_ms  Nullable(UInt64),
    source       LowCardinality(String),
    ingested_at  DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMM(time)
ORDER BY (org_id, repository, run_id, job_id, number, event_id);
