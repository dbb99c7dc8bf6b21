DROP TABLE IF EXISTS telemetry_seeds;
