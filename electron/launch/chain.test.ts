/**
 * The qsLAM chain as a scientist runs it: a run created with two FASTQ files, each step launched
 * through `jobs.start` (preflight, stored parameters, the job runner, the real tools), results read
 * through `results.get`. Needs the build (`npm test` builds first): built-in steps run the CLI.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TERMINAL_JOB_STATUSES, type JobInfo } from '../../shared/schemas/jobs';
import { generateQslamDataset, type QslamDataset } from '../demo/data/qslam';
import { openTestSession, tempDirs } from '../../tests/tempWorkspace';
import type { Session } from '../api/session';

const BUILT = join(import.meta.dirname, '../../dist/cli/benchtop.js');

async function runStep(session: Session, runId: string, step: string, params: Record<string, string | number | boolean> = {}): Promise<JobInfo> {
  const job = await session.call('jobs.start', { runId, step, params });
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
    const now = session.jobs.get(job.id);
    if (TERMINAL_JOB_STATUSES.includes(now.status)) {
      await session.jobs.settled();
      return session.jobs.get(job.id);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${step} did not finish in time`);
}

describe('the qsLAM chain through jobs.start', () => {
  const dirs = tempDirs('benchtop-launch-');
  let session: Session;
  let data: QslamDataset;
  let runId: string;

  beforeAll(async () => {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`npm run build\` first (npm test does).`);
    data = generateQslamDataset({ dir: join(dirs.root, 'data'), seed: 5, umiLength: 8 });
    session = openTestSession(dirs);
    const run = await session.call('runs.create', {
      name: 'planted sites',
      inputs: [
        { role: 'R1', path: data.r1 },
        { role: 'R2', path: data.r2 },
      ],
    });
    runId = run.id;
  });
  afterAll(() => {
    session.close();
    rmSync(dirs.root, { recursive: true, force: true });
  });

  it('refuses to launch what preflight refuses, and says why', async () => {
    const cut = await session.call('steps.preflight', { runId, step: 'cutadapt', params: { r1_seq: 'ACGT; touch pwned' } });
    expect(cut.ok).toBe(false);
    expect(cut.problems.map((p) => p.field)).toContain('r1_seq');
    const sites = await session.call('steps.preflight', { runId, step: 'site_analysis' });
    expect(sites.problems.find((p) => p.kind === 'input')?.message).toMatch(/Mapped reads/);
    const refused = await session.dispatch('jobs.start', { runId, step: 'site_analysis' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(session.jobs.list({ runId })).toHaveLength(0);
  });

  it('runs umi → cutadapt → read_mapping → site_analysis and finds every planted site', async () => {
    expect((await runStep(session, runId, 'umi')).status).toBe('completed');
    const cut = await runStep(session, runId, 'cutadapt', {
      r1_seq: data.r1Primer,
      r1_anchored: true,
      r1_error_rate: 0.1,
      r2_seq: data.r2Linker,
      r2_anchored: true,
    });
    expect(cut.status, cut.error ?? '').toBe('completed');
    expect(cut.argv.some((a) => a.endsWith('umi/R1.fastq.gz'))).toBe(true); // the UMI step's output, not the raw reads
    expect((await session.call('results.get', { runId, step: 'cutadapt' }))?.metrics.length).toBeGreaterThan(0);
    expect((await runStep(session, runId, 'read_mapping', { genome: data.genomeGz })).status).toBe('completed');
    const sites = await runStep(session, runId, 'site_analysis', { annotation: data.annotationGtf, spike_bed: data.spikeBed });
    expect(sites.status).toBe('completed');

    const result = await session.call('results.get', { runId, step: 'site_analysis' });
    const metric = (label: string) => result?.metrics.find((m) => m.label === label)?.value;
    expect(metric('Peaks')).toBe(data.sites.length);
    expect(metric('Peaks kept')).toBe(data.sites.filter((s) => s.kept).length);

    const run = await session.call('runs.get', { id: runId });
    expect(run.jobs.map((j) => [j.step, j.status])).toEqual([
      ['umi', 'completed'],
      ['cutadapt', 'completed'],
      ['read_mapping', 'completed'],
      ['site_analysis', 'completed'],
    ]);
    expect(run.params.cutadapt?.r1_seq).toBe(data.r1Primer); // the run remembers what each step ran with
    const genome = session.workspace.db.prepare("SELECT value FROM run_params WHERE run_id = ? AND name = 'genome'").pluck().get(runId);
    expect(genome).toBe(data.genomeGz);
  }, 300_000);
});
