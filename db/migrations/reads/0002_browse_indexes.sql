-- Results browser: one index per sortable column, led by run_id, so a page of one basecall run
-- sorted by any column (rowid, implicit at each index's end, breaks ties) is an index range
-- walk, and counts and histograms over a column read the index, not the table.
CREATE INDEX IF NOT EXISTS idx_reads_run_qbc ON reads(run_id, q_bc);
CREATE INDEX IF NOT EXISTS idx_reads_run_ed ON reads(run_id, ed);
CREATE INDEX IF NOT EXISTS idx_reads_run_qld ON reads(run_id, q_ld);
CREATE INDEX IF NOT EXISTS idx_reads_run_readlen ON reads(run_id, readlen);
CREATE INDEX IF NOT EXISTS idx_reads_run_ref ON reads(run_id, ref_id, ed);
CREATE INDEX IF NOT EXISTS idx_reads_run_end_reason ON reads(run_id, end_reason);
