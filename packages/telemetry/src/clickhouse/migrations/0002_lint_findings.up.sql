-- Dockerfile lint findings. build_id is '' for a lint that ran outside a build.
CREATE TABLE IF NOT EXISTS lint_findings_v1
(
    org_id      String,
    project_id  String,
    build_id    String,
    event_id    UUID,
    time        DateTime64(3, 'UTC'),
    code        LowCardinality(String),
    level       LowCardinality(String),
    line        UInt32,
    message     String,
    file        String,
    source      LowCardinality(String),
    ingested_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMM(time)
ORDER BY (org_id, project_id, build_id, event_id);
