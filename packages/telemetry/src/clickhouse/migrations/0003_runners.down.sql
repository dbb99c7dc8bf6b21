DROP TABLE IF EXISTS runner_steps_v1;
DROP TABLE IF EXISTS runner_jobs_v1;
