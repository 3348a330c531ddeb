import type Database from 'better-sqlite3';
import type { PipelineStatus } from '../../shared/schemas/system';

const BASECALL_STATUSES = ['pending', 'running', 'complete', 'analyzed'];
const JOB_STATUSES = ['pending', 'running', 'completed', 'failed', 'killed', 'interrupted'];

function countByStatus(db: Database.Database, table: 'basecall_runs' | 'runs' | 'jobs', always: string[]) {
  const counts: Record<string, number> = Object.fromEntries(always.map((status) => [status, 0]));
  const rows = db
    .prepare(`SELECT coalesce(status, 'unknown') AS status, COUNT(*) AS n FROM ${table} GROUP BY 1`)
    .all() as { status: string; n: number }[];
  for (const { status, n } of rows) counts[status] = n;
  return counts;
}

/** Seed 000's orchestrator status, plus the analysis runs and jobs. */
export function pipelineStatus(db: Database.Database): PipelineStatus {
  // Seed 000's get_pending_sma_analysis, with a LEFT JOIN: a run whose experiment row is
  // missing is still waiting for analysis.
  const pendingSma = db
    .prepare(
      `SELECT br.run_id AS runId, br.exp_id AS expId, e.sample_id AS sampleId,
              br.model_tier AS modelTier, br.bam_path AS bamPath
         FROM basecall_runs br
         LEFT JOIN experiments e ON br.exp_id = e.exp_id
        WHERE br.status = 'complete' AND br.sma_db_path IS NULL
        ORDER BY br.created_at, br.run_id`,
    )
    .all() as PipelineStatus['pendingSma'];
  return {
    experiments: db.prepare('SELECT COUNT(*) FROM experiments').pluck().get() as number,
    basecallRuns: countByStatus(db, 'basecall_runs', BASECALL_STATUSES),
    runs: countByStatus(db, 'runs', []),
    jobs: countByStatus(db, 'jobs', JOB_STATUSES),
    pendingSma,
  };
}
