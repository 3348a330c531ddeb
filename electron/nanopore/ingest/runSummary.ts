import type Database from 'better-sqlite3';

/** One row of run_summaries (seed 000), by its column names. */
export interface RunSummaryRow {
  run_id: string;
  total_reads: number;
  matched_reads: number;
  mean_qbc: number | null;
  median_qbc: number | null;
  mean_ed: number | null;
  median_ed: number | null;
  mean_qld: number | null;
  er_signal_pos: number;
  er_signal_neg: number;
  er_unblock: number;
  er_other: number;
}

/** The middle value (mean of the two middle ones for an even count) of a column over the run's rows. */
function median(db: Database.Database, column: 'q_bc' | 'ed', runId: string): number | null {
  const n = (db.prepare(`SELECT COUNT(${column}) AS n FROM reads WHERE run_id = ?`).get(runId) as { n: number }).n;
  if (n === 0) return null;
  const rows = db
    .prepare(`SELECT ${column} AS v FROM reads WHERE run_id = ? AND ${column} IS NOT NULL ORDER BY ${column} LIMIT ? OFFSET ?`)
    .all(runId, n % 2 === 0 ? 2 : 1, Math.floor((n - 1) / 2)) as { v: number }[];
  return rows.reduce((sum, r) => sum + r.v, 0) / rows.length;
}

/**
 * Computes the run's summary from its rows and stores it. The end-reason counts follow the seed's
 * compute_run_summary: signal_positive, signal_negative, unblock_mux_change, and the rest as other.
 */
export function writeRunSummary(db: Database.Database, runId: string): RunSummaryRow {
  const totals = db
    .prepare(
      `SELECT COUNT(*) AS total_reads,
              COUNT(ref_id) AS matched_reads,
              AVG(q_bc) AS mean_qbc,
              AVG(ed) AS mean_ed,
              AVG(q_ld) AS mean_qld,
              COALESCE(SUM(end_reason = 'signal_positive'), 0) AS er_signal_pos,
              COALESCE(SUM(end_reason = 'signal_negative'), 0) AS er_signal_neg,
              COALESCE(SUM(end_reason = 'unblock_mux_change'), 0) AS er_unblock
         FROM reads WHERE run_id = ?`,
    )
    .get(runId) as Omit<RunSummaryRow, 'run_id' | 'median_qbc' | 'median_ed' | 'er_other'>;
  const row: RunSummaryRow = {
    run_id: runId,
    ...totals,
    median_qbc: median(db, 'q_bc', runId),
    median_ed: median(db, 'ed', runId),
    er_other: totals.total_reads - totals.er_signal_pos - totals.er_signal_neg - totals.er_unblock,
  };
  db.prepare(
    `INSERT OR REPLACE INTO run_summaries (run_id, total_reads, matched_reads, mean_qbc, median_qbc, mean_ed, median_ed, mean_qld,
       er_signal_pos, er_signal_neg, er_unblock, er_other)
     VALUES (@run_id, @total_reads, @matched_reads, @mean_qbc, @median_qbc, @mean_ed, @median_ed, @mean_qld,
       @er_signal_pos, @er_signal_neg, @er_unblock, @er_other)`,
  ).run(row);
  return row;
}
