-- Issue 3: a run's input files and its parameters, each in queryable rows (seed 001's
-- "no JSON blobs" rule), and when a run's files were cleaned.

-- ============================================================
-- RUN INPUTS: the files copied or linked into runs/<id>/rawdata/
-- ============================================================

CREATE TABLE run_inputs (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    role TEXT NOT NULL,            -- R1, R2, …
    name TEXT NOT NULL,            -- the file's name in rawdata/
    path TEXT NOT NULL,            -- relative to the run's folder, e.g. rawdata/sample_R1.fastq.gz
    bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('copy', 'link')),
    original_path TEXT NOT NULL,   -- absolute path of the source (the link's target when mode = 'link')
    added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (run_id, role)
);

-- ============================================================
-- RUN PARAMETERS: one row per (step, name), so that
--   SELECT run_id FROM run_params WHERE name = 'genome' AND value = 'hg38'
-- is a plain indexed query.
-- ============================================================

CREATE TABLE run_params (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT,                    -- numbers as their shortest round-trip text, booleans as true/false, NULL for null
    value_type TEXT NOT NULL CHECK (value_type IN ('string', 'number', 'boolean', 'null')),
    PRIMARY KEY (run_id, step, name)
);

CREATE INDEX idx_run_params_name_value ON run_params(name, value);

-- ============================================================
-- CLEANED RUNS: files deleted, rows and audit trail kept
-- ============================================================

ALTER TABLE runs ADD COLUMN cleaned_at TEXT;
