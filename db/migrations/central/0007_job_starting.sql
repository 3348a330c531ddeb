-- A job is claimed as `starting` (with the path of its wrapper's exit file) and committed before
-- its process is spawned, so that a crash between the spawn and the next commit never leaves a
-- running process behind a `pending` row that would be started a second time.
--
-- SQLite cannot change a CHECK constraint: the table is rebuilt (create jobs_new, copy, drop,
-- rename, recreate the indexes). This runs inside the migration's transaction with foreign_keys
-- ON. That is safe here because no table references jobs(id) at version 6 (jobs is only a
-- child, of runs), so dropping the old table deletes no other row and cascades nowhere; the copy
-- keeps every row's run_id, so its reference to runs(id) holds. Deferring the foreign-key checks
-- to the commit lets the rebuild's intermediate states pass; the commit still checks the result.
-- With legacy_alter_table OFF (the default) the rename keeps other schema references right.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE jobs_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step_name TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    -- starting: claimed and committed; its process is being (or was being) spawned
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'starting', 'running', 'completed', 'failed', 'killed', 'interrupted')),
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
    -- where the wrapper writes the exit status (relative to the workspace, as log_file); the
    -- wrapper is called with it as its first argument, which is how a `starting` job's process
    -- is found again after a crash
    exit_file TEXT,
    UNIQUE (run_id, step_name, attempt)
);

INSERT INTO jobs_new (id, run_id, step_name, attempt, status, argv, tool, tool_version, executor, pid, pgid,
                      proc_start_time, created_at, started_at, completed_at, exit_code, log_file, error_message)
SELECT id, run_id, step_name, attempt, status, argv, tool, tool_version, executor, pid, pgid,
       proc_start_time, created_at, started_at, completed_at, exit_code, log_file, error_message
  FROM jobs;

-- AUTOINCREMENT: ids of deleted jobs are never handed out again, so the counter moves over too.
DELETE FROM sqlite_sequence WHERE name = 'jobs_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'jobs_new', seq FROM sqlite_sequence WHERE name = 'jobs';

DROP TABLE jobs;
ALTER TABLE jobs_new RENAME TO jobs;

CREATE INDEX idx_jobs_run_id ON jobs(run_id);
CREATE INDEX idx_jobs_status ON jobs(status);
