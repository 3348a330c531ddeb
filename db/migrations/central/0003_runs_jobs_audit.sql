-- Benchtop's additions to seed 000: the end reasons real POD5 files carry, seed 001's analysis runs
-- and their jobs (one row per attempt), and an audit trail.

-- ============================================================
-- END REASONS MISSING FROM THE SEED
-- ============================================================

INSERT OR IGNORE INTO lk_end_reasons VALUES
    ('api_request', 'technical', 0, 'Read ended by a request through the MinKNOW API (e.g. a read-until client)'),
    ('device_data_error', 'technical', 0, 'Read ended by a data error on the sequencing device'),
    ('analysis_config_change', 'technical', 0, 'Read ended because the analysis configuration changed mid-read'),
    ('paused', 'technical', 0, 'Read ended because the sequencing run was paused');

-- ============================================================
-- ANALYSIS RUNS (seed 001), explicit columns so parameters stay queryable
-- ============================================================

CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    name TEXT,
    description TEXT,
    status TEXT NOT NULL DEFAULT 'pending',
    current_step TEXT,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    created_by TEXT,
    -- which pipeline the run belongs to, e.g. 'qslam'
    pipeline TEXT,

    -- Cutadapt configuration
    r1_seq TEXT,
    r1_error_rate REAL DEFAULT 0.3,
    r1_trim_leading_trailing INTEGER DEFAULT 0,
    r1_anchored BOOLEAN DEFAULT FALSE,
    r1_min_overlap INTEGER DEFAULT 5,
    r1_pair_filter TEXT DEFAULT 'both',
    r1_minimum_length_of_read INTEGER DEFAULT 30,
    r2_seq TEXT,
    r2_error_rate REAL DEFAULT 0.1,
    r2_trim_leading_trailing INTEGER DEFAULT 0,
    r2_anchored BOOLEAN DEFAULT FALSE,
    r2_min_overlap INTEGER DEFAULT 10,
    r2_pair_filter TEXT DEFAULT 'both',
    r2_minimum_length_of_read INTEGER DEFAULT 30,

    -- Read mapping configuration
    genome TEXT,
    genome_tar_url TEXT,

    -- Site analysis configuration
    promoter_left INTEGER DEFAULT 5000,
    promoter_right INTEGER DEFAULT 2000,
    enhancer_left INTEGER DEFAULT 50000,

    -- QC configuration: before, after, both
    qc_stage TEXT DEFAULT 'before'
);

-- ============================================================
-- JOBS: one row per attempt of a step
-- ============================================================

CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step_name TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'running', 'completed', 'failed', 'killed', 'interrupted')),
    argv TEXT,             -- JSON array, exactly as executed
    tool TEXT,
    tool_version TEXT,
    executor TEXT DEFAULT 'local',
    pid INTEGER,
    pgid INTEGER,
    -- the process's start time, so that after a restart a live pid is known to still be this job
    proc_start_time TEXT,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    started_at TIMESTAMP,
    completed_at TIMESTAMP,
    exit_code INTEGER,
    log_file TEXT,
    error_message TEXT,
    UNIQUE (run_id, step_name, attempt)
);

CREATE INDEX idx_jobs_run_id ON jobs(run_id);
CREATE INDEX idx_jobs_status ON jobs(status);
CREATE INDEX idx_runs_status ON runs(status);

-- ============================================================
-- AUDIT LOG
-- ============================================================

-- No foreign keys: deleting a run (or its files) must never delete what was done to it.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    actor TEXT,
    action TEXT NOT NULL,
    entity_type TEXT,
    entity_id TEXT,
    details TEXT           -- JSON
);

CREATE INDEX idx_audit_log_entity ON audit_log(entity_type, entity_id);
