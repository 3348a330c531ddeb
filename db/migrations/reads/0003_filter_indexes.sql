-- Counts of the results browser's filters: a filter on one column is a range walk of that column's
-- index above; a filter on several would look each read up in the table (tens of seconds on 10
-- million reads). These hold every filter column, so such a count reads one index range alone:
-- led by end_reason or ref_id when the filter names them (an equality), by q_bc otherwise.
-- The count names its index (electron/reads/sql.ts): without ANALYZE statistics SQLite prefers
-- a narrower index and the table.
CREATE INDEX IF NOT EXISTS idx_reads_run_filters ON reads(run_id, q_bc, readlen, ed, q_ld, ref_id, end_reason);
CREATE INDEX IF NOT EXISTS idx_reads_run_ref_filters ON reads(run_id, ref_id, q_bc, readlen, ed, q_ld, end_reason);
CREATE INDEX IF NOT EXISTS idx_reads_run_reason_filters ON reads(run_id, end_reason, q_bc, readlen, ed, q_ld, ref_id);
