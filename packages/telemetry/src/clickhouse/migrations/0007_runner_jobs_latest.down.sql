DROP VIEW IF EXISTS runner_jobs_latest_mv_v1;
DROP TABLE IF EXISTS runner_jobs_latest_v1;
