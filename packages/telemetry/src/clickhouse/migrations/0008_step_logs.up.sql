-- What each BuildKit step printed (its VertexLogs), for the dashboard's step detail: `logs` is the
-- compact JSON text of the event's `logs` array ([{"at","stream","text"}], at most 65,536
-- characters of text per step), '' when the step printed nothing; `logs_truncated` says the
-- builder printed more than it sent. Read one step at a time (getStepLogs): the build trace
-- (listBuildSteps) never selects them. ZSTD: build output compresses well and is rarely read.
-- Both are plain columns outside the sorting key; rows stored before read as '' / false.
ALTER TABLE build_steps_v1
    ADD COLUMN IF NOT EXISTS logs String DEFAULT '' CODEC(ZSTD(3)) AFTER error,
    ADD COLUMN IF NOT EXISTS logs_truncated Bool DEFAULT false AFTER logs;
