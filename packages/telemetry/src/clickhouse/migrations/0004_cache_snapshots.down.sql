DROP TABLE IF EXISTS cache_snapshots_v1;
