ALTER TABLE build_steps_v1 DROP INDEX IF EXISTS build_id_bf_v1;
