ALTER TABLE build_steps_v1
    DROP COLUMN IF EXISTS logs_truncated,
    DROP COLUMN IF EXISTS logs;
