-- Issue 4: what discovery learns about a MinKNOW run beyond the seed's experiments columns, and
-- which analysis run and job produced a basecall run. The seed's columns stay as they are.

-- ============================================================
-- EXPERIMENTS: discovery
-- ============================================================

-- Parsed out of the protocol string (…:FLO-PRO114M:SQK-LSK114:400) or the report.
ALTER TABLE experiments ADD COLUMN flow_cell_product TEXT;
ALTER TABLE experiments ADD COLUMN sequencing_kit TEXT;
ALTER TABLE experiments ADD COLUMN protocol_run_id TEXT;
-- pod5_files_in_final_dest of final_summary; pod5_count is what is on disk.
ALTER TABLE experiments ADD COLUMN pod5_expected INTEGER;
-- complete | incomplete_transfer | in_progress | interrupted (NULL: not discovered, e.g. migrated)
ALTER TABLE experiments ADD COLUMN run_state TEXT;
-- final_summary | report | folder_name | legacy | manual
ALTER TABLE experiments ADD COLUMN source TEXT;
ALTER TABLE experiments ADD COLUMN scanned_at TEXT;

-- ============================================================
-- BASECALL RUNS: the analysis run and job that made the BAM (NULL when registered by hand)
-- ============================================================

ALTER TABLE basecall_runs ADD COLUMN analysis_run_id TEXT;
ALTER TABLE basecall_runs ADD COLUMN job_id INTEGER;
