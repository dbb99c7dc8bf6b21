-- One row per org whose demo telemetry was seeded; written last, so a seed that stopped half
-- way is redone (its rows have fixed event ids and collapse) instead of skipped.
CREATE TABLE IF NOT EXISTS telemetry_seeds
(
    org_id       String,
    seed_version UInt32,
    seeded_at    DateTime64(3, 'UTC'),
    summary      String
)
ENGINE = ReplacingMergeTree(seeded_at)
ORDER BY org_id;
