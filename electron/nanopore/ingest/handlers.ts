import { existsSync } from 'node:fs';
import { ApiError } from '../../../shared/errors';
import type { PendingSmaRun } from '../../../shared/schemas/sma';
import type { HandlerTable } from '../../api/dispatch';
import type { Session } from '../../api/session';
import { createRun } from '../../runs';
import { getRunJobs } from '../../runs/repo';
import { expand } from '../../workspace/resolve';

type SmaOps = 'sma.ingest' | 'sma.pending';

interface PendingRow {
  run_id: string;
  exp_id: string;
  sample_id: string | null;
  model_tier: string | null;
  model_version: string | null;
  bam_path: string | null;
  created_at: string | null;
  ingest_run: string | null;
}

/**
 * "Ready for SMA analysis" and its one-click ingest. The ingest is an analysis run of the
 * 'nanopore' pipeline whose inputs are the BAM, the references and the summary, linked (not
 * copied: BAMs are big), and whose sma_ingest step runs as a job like any other.
 */
export function smaHandlers(session: Session): Pick<HandlerTable, SmaOps> {
  const db = () => session.workspace.db;
  return {
    'sma.pending': () => {
      const rows = db()
        .prepare(
          `SELECT br.run_id, br.exp_id, e.sample_id, br.model_tier, br.model_version, br.bam_path, br.created_at,
                  (SELECT p.run_id FROM run_params p JOIN runs r ON r.id = p.run_id
                    WHERE p.step = 'sma_ingest' AND p.name = 'basecall_run_id' AND p.value = br.run_id
                    ORDER BY r.created_at DESC, r.rowid DESC LIMIT 1) AS ingest_run
             FROM basecall_runs br JOIN experiments e ON e.exp_id = br.exp_id
            WHERE br.status = 'complete' AND br.sma_db_path IS NULL
            ORDER BY br.created_at, br.run_id`,
        )
        .all() as PendingRow[];
      const runs: PendingSmaRun[] = rows.map((r) => ({
        runId: r.run_id,
        expId: r.exp_id,
        sampleId: r.sample_id,
        modelTier: r.model_tier,
        modelVersion: r.model_version,
        bamPath: r.bam_path,
        createdAt: r.created_at,
        ingest: r.ingest_run === null ? null : { runId: r.ingest_run, job: getRunJobs(db(), r.ingest_run).at(-1) ?? null },
      }));
      return { runs };
    },
    'sma.ingest': async (request) => {
      const run = db().prepare('SELECT run_id, exp_id, bam_path, status FROM basecall_runs WHERE run_id = ?').get(request.basecallRunId) as
        | { run_id: string; exp_id: string | null; bam_path: string | null; status: string | null }
        | undefined;
      if (!run) throw new ApiError('not_found', `There is no basecall run ${JSON.stringify(request.basecallRunId)}.`);
      if (!run.exp_id) throw new ApiError('invalid_request', `Basecall run ${run.run_id} belongs to no experiment.`);
      if (!run.bam_path) throw new ApiError('invalid_request', `Basecall run ${run.run_id} has no BAM file recorded.`);
      if (!existsSync(run.bam_path)) throw new ApiError('invalid_request', `The BAM of basecall run ${run.run_id} is missing: ${run.bam_path}`);
      const inputs = [
        { role: 'BAM', path: run.bam_path },
        ...request.refs.map((path, i) => ({ role: `REF${i + 1}`, path: expand(path) })),
        ...(request.summary ? [{ role: 'SUMMARY', path: expand(request.summary) }] : []),
      ];
      const created = await createRun(
        session.workspace,
        {
          name: `SMA ingest ${run.run_id}`,
          description: `SMA-seq ingest of basecall run ${run.run_id} (experiment ${run.exp_id}) into reads/SMA_${run.exp_id}.db`,
          pipeline: 'nanopore',
          inputs,
          mode: 'link',
          params: { sma_ingest: { basecall_run_id: run.run_id, tolerance: request.tolerance, tagged_bam: request.taggedBam } },
        },
        { actor: session.host.mode },
      );
      const job = await session.call('jobs.start', { runId: created.id, step: 'sma_ingest' });
      return { runId: created.id, jobId: job.id };
    },
  };
}
