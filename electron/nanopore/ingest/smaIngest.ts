/**
 * The ingest of one basecall run into its experiment's read database, and the bookkeeping around
 * it in the central database: which basecall run, where its SMA DB lives, and marking it analyzed
 * once (and only once) the reads are committed. Run by the `sma_ingest` built-in step (as a job)
 * and by `benchtop ingest` (in the foreground).
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join } from 'node:path';
import type Database from 'better-sqlite3';
import { readsDbFileName } from '../../../db/reads';
import type { StepResult } from '../../../shared/schemas/results';
import { InputError } from '../../pipelines/qslam/fastq';
import { count, type Log } from '../../pipelines/qslam/progress';
import type { WorkspaceLayout } from '../../workspace/layout';
import { ingestBam, type IngestOutcome } from './ingest';

export interface BasecallRunRow {
  run_id: string;
  exp_id: string | null;
  bam_path: string | null;
  status: string | null;
  sma_db_path: string | null;
}

export interface SmaIngestRequest {
  basecallRunId: string;
  /** Defaults to the basecall run's bam_path. */
  bam?: string | undefined;
  refs: readonly string[];
  summary?: string | undefined;
  tolerance: number;
  taggedBam?: string | undefined;
  threads?: number | undefined;
  workerScript: string | null;
}

export function getBasecallRun(db: Database.Database, runId: string): BasecallRunRow {
  const row = db.prepare('SELECT run_id, exp_id, bam_path, status, sma_db_path FROM basecall_runs WHERE run_id = ?').get(runId) as BasecallRunRow | undefined;
  if (!row) throw new InputError(`There is no basecall run ${JSON.stringify(runId)} in this workspace.`);
  if (!row.exp_id) throw new InputError(`Basecall run ${runId} belongs to no experiment: its reads have no SMA database to go to.`);
  return row;
}

/**
 * The basecall run of `bam` in experiment `expId` (`benchtop ingest --exp … --bam …`): the one
 * registered with that BAM, else a new one named after the file, status complete.
 */
export function basecallRunForBam(db: Database.Database, expId: string, bam: string): string {
  if (!db.prepare('SELECT 1 FROM experiments WHERE exp_id = ?').get(expId)) {
    throw new InputError(`There is no experiment ${JSON.stringify(expId)} in this workspace (discover it first: benchtop discover DIR).`);
  }
  const found = db.prepare('SELECT run_id FROM basecall_runs WHERE exp_id = ? AND bam_path = ? ORDER BY created_at LIMIT 1').get(expId, bam) as { run_id: string } | undefined;
  if (found) return found.run_id;
  const runId = basename(bam).replace(/\.bam$/i, '');
  const taken = db.prepare('SELECT exp_id, bam_path FROM basecall_runs WHERE run_id = ?').get(runId) as { exp_id: string; bam_path: string } | undefined;
  if (taken) throw new InputError(`Basecall run ${runId} already exists for ${taken.bam_path ?? 'another BAM'} (experiment ${taken.exp_id}); pass --run to choose it.`);
  db.prepare("INSERT INTO basecall_runs (run_id, exp_id, bam_path, status) VALUES (?, ?, ?, 'complete')").run(runId, expId, bam);
  return runId;
}

/** Ingests, then marks the basecall run analyzed with its SMA DB path. */
export async function runSmaIngest(layout: WorkspaceLayout, db: Database.Database, request: SmaIngestRequest, log: Log): Promise<IngestOutcome & { readsDb: string }> {
  const run = getBasecallRun(db, request.basecallRunId);
  const bam = request.bam ?? run.bam_path;
  if (!bam) throw new InputError(`Basecall run ${run.run_id} has no BAM path: give the BAM file.`);
  const readsDb = join(layout.readsDir, readsDbFileName(run.exp_id!));
  log(`Ingesting ${bam} (basecall run ${run.run_id}) into ${readsDb}`);
  const outcome = await ingestBam(
    {
      bam,
      refs: request.refs,
      summary: request.summary,
      tolerance: request.tolerance,
      taggedBam: request.taggedBam,
      readsDb,
      runId: run.run_id,
      threads: request.threads ?? availableParallelism(),
      workerScript: request.workerScript,
    },
    log,
  );
  db.prepare("UPDATE basecall_runs SET status = 'analyzed', sma_db_path = ? WHERE run_id = ?").run(readsDb, run.run_id);
  log(
    `${count(outcome.total_reads)} reads, ${count(outcome.matched_reads)} matched a reference; ` +
      `mean q_bc ${outcome.mean_qbc?.toFixed(2) ?? '–'}, mean ed ${outcome.mean_ed?.toFixed(1) ?? '–'}. Basecall run ${run.run_id} is analyzed.`,
  );
  return { ...outcome, readsDb };
}

/** What the step's results page shows. */
export function ingestResult(outcome: IngestOutcome & { readsDb: string }, jobFiles: StepResult['files']): StepResult {
  const pct = (n: number) => (outcome.total_reads > 0 ? Math.round((1000 * n) / outcome.total_reads) / 10 : null);
  return {
    step: 'sma_ingest',
    jobId: null,
    metrics: [
      { label: 'Reads', value: outcome.total_reads },
      { label: 'Matched a reference', value: outcome.matched_reads },
      { label: 'Mean q_bc', value: outcome.mean_qbc === null ? null : Number(outcome.mean_qbc.toFixed(2)) },
      { label: 'Median q_bc', value: outcome.median_qbc === null ? null : Number(outcome.median_qbc.toFixed(2)) },
      { label: 'Mean edit distance', value: outcome.mean_ed === null ? null : Number(outcome.mean_ed.toFixed(1)) },
      { label: 'Median edit distance', value: outcome.median_ed },
      { label: 'Mean q_ld', value: outcome.mean_qld === null ? null : Number(outcome.mean_qld.toFixed(2)) },
      { label: 'signal_positive', value: pct(outcome.er_signal_pos), unit: '%' },
      { label: 'unblock_mux_change', value: pct(outcome.er_unblock), unit: '%' },
    ],
    tables: [
      {
        id: 'references',
        title: 'Reads per reference (by length window)',
        columns: [
          { key: 'name', label: 'Reference', type: 'text' },
          { key: 'length', label: 'Length (bp)', type: 'number' },
          { key: 'reads', label: 'Reads', type: 'number' },
        ],
        rows: outcome.references.map((r) => ({ name: r.name, length: r.length, reads: r.reads })),
      },
    ],
    plots: [],
    files: jobFiles,
  };
}

export function writeIngestResult(stepDir: string, result: StepResult): void {
  writeFileSync(join(stepDir, 'results.json'), `${JSON.stringify(result, null, 2)}\n`);
}
