-- Seed 000's SMA_SCHEMA: one per-experiment read database (SMA_<exp_id>.db).
CREATE TABLE IF NOT EXISTS reads (
    read_id         TEXT,
    run_id          TEXT,
    readseq         TEXT,
    readlen         INTEGER,
    q_bc            REAL,
    ed              INTEGER,
    q_ld            REAL,
    ref_id          TEXT,
    end_reason      TEXT,
    -- Benchtop: '+' or '-', the orientation the edit distance (ed) was measured in.
    strand          TEXT,
    PRIMARY KEY (read_id, run_id)
);

CREATE INDEX IF NOT EXISTS idx_reads_run_id ON reads(run_id);
CREATE INDEX IF NOT EXISTS idx_reads_ref_id ON reads(ref_id);
CREATE INDEX IF NOT EXISTS idx_reads_end_reason ON reads(end_reason);
CREATE INDEX IF NOT EXISTS idx_reads_ed ON reads(ed) WHERE ed IS NOT NULL;
CREATE INDEX IF NOT EXISTS idx_reads_qbc ON reads(q_bc);

CREATE TABLE IF NOT EXISTS run_summaries (
    run_id          TEXT PRIMARY KEY,
    total_reads     INTEGER,
    matched_reads   INTEGER,
    mean_qbc        REAL,
    median_qbc      REAL,
    mean_ed         REAL,
    median_ed       REAL,
    mean_qld        REAL,
    er_signal_pos   INTEGER,
    er_signal_neg   INTEGER,
    er_unblock      INTEGER,
    er_other        INTEGER
);
