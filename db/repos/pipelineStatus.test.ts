import { describe, expect, it } from 'vitest';
import { PipelineStatus } from '../../shared/schemas/system';
import { scratch } from '../testing';
import { pipelineStatus } from './pipelineStatus';

const { central } = scratch();

describe('pipelineStatus', () => {
  it('is all zeros on a new workspace', () => {
    expect(pipelineStatus(central())).toEqual({
      experiments: 0,
      basecallRuns: { pending: 0, running: 0, complete: 0, analyzed: 0 },
      runs: {},
      jobs: { pending: 0, running: 0, completed: 0, failed: 0, killed: 0, interrupted: 0 },
      pendingSma: [],
    });
  });

  it('counts by status and lists complete basecall runs not yet analysed', () => {
    const db = central();
    db.prepare("INSERT INTO experiments (exp_id, sample_id) VALUES ('e1', 'S1'), ('e2', 'S2'), ('e3', NULL)").run();
    const basecall = db.prepare(
      'INSERT INTO basecall_runs (run_id, exp_id, model_tier, bam_path, sma_db_path, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    basecall.run('b-pending', 'e1', 'hac', null, null, 'pending', '2024-01-01 00:00:00');
    basecall.run('b-running', 'e1', 'hac', null, null, 'running', '2024-01-01 00:00:01');
    basecall.run('b-late', 'e2', 'sup', '/bam/late.bam', null, 'complete', '2024-03-01 00:00:00');
    basecall.run('b-early', 'e1', 'sup', '/bam/early.bam', null, 'complete', '2024-02-01 00:00:00');
    basecall.run('b-done', 'e2', 'sup', '/bam/done.bam', '/reads/SMA_e2.db', 'complete', '2024-01-02 00:00:00');
    basecall.run('b-analyzed', 'e3', 'fast', '/bam/a.bam', '/reads/SMA_e3.db', 'analyzed', '2024-01-03 00:00:00');
    basecall.run('b-failed', 'e3', 'fast', null, null, 'failed', '2024-01-04 00:00:00');
    basecall.run('b-orphan', null, 'hac', '/bam/orphan.bam', null, 'complete', '2024-04-01 00:00:00');
    db.prepare("INSERT INTO runs (id, status) VALUES ('r1', 'pending'), ('r2', 'running'), ('r3', 'running')").run();
    db.prepare(
      "INSERT INTO jobs (run_id, step_name, attempt, status) VALUES ('r2', 'qc', 1, 'failed'), ('r2', 'qc', 2, 'running'), ('r3', 'qc', 1, 'running')",
    ).run();

    const status = PipelineStatus.parse(pipelineStatus(db));
    expect(status.experiments).toBe(3);
    expect(status.basecallRuns).toEqual({ pending: 1, running: 1, complete: 4, analyzed: 1, failed: 1 });
    expect(status.runs).toEqual({ pending: 1, running: 2 });
    expect(status.jobs).toEqual({ pending: 0, running: 2, completed: 0, failed: 1, killed: 0, interrupted: 0 });
    expect(status.pendingSma).toEqual([
      { runId: 'b-early', expId: 'e1', sampleId: 'S1', modelTier: 'sup', bamPath: '/bam/early.bam' },
      { runId: 'b-late', expId: 'e2', sampleId: 'S2', modelTier: 'sup', bamPath: '/bam/late.bam' },
      { runId: 'b-orphan', expId: null, sampleId: null, modelTier: 'hac', bamPath: '/bam/orphan.bam' },
    ]);
  });

  it('still lists a run whose experiment row is missing', () => {
    const db = central();
    db.pragma('foreign_keys = OFF'); // as in a database filled by the seed's tools, which never enabled them
    db.prepare("INSERT INTO basecall_runs (run_id, exp_id, status) VALUES ('b1', 'gone', 'complete')").run();
    expect(pipelineStatus(db).pendingSma).toEqual([
      { runId: 'b1', expId: 'gone', sampleId: null, modelTier: null, bamPath: null },
    ]);
  });
});
