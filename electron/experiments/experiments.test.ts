/**
 * Experiments and basecall runs through the session's handlers: discovery in its own process with
 * progress events, re-scan, BAM registration, pending SMA, and the basecall step run by the real
 * job runner with the dorado stand-in. Needs the build (`npm test` builds first).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscoveryProgress } from '../../shared/schemas/experiments';
import { TERMINAL_JOB_STATUSES, type JobInfo } from '../../shared/schemas/jobs';
import { writeBam } from '../../tests/fixtures/bam';
import { generateMinknowTree } from '../demo/data/minknow';
import { openTestSession, tempDirs } from '../../tests/tempWorkspace';
import type { Session } from '../api/session';
import { basecallerArgs, parseModel } from './basecallStep';

const BUILT = join(import.meta.dirname, '../../dist/cli/benchtop.js');
const STANDIN = join(import.meta.dirname, '../../tests/fixtures/dorado-standin.sh');

async function discover(session: Session, dirs: string[]): Promise<{ end: DiscoveryProgress; events: DiscoveryProgress[] }> {
  const events: DiscoveryProgress[] = [];
  let scanId = '';
  const ended = new Promise<DiscoveryProgress>((resolve) => {
    const off = session.events.subscribe(({ name, payload }) => {
      if (name !== 'discovery.progress') return;
      const p = payload as DiscoveryProgress;
      events.push(p);
      if (p.state !== 'running' && p.scanId === scanId) {
        off();
        resolve(p);
      }
    });
  });
  scanId = (await session.call('experiments.discover', { dirs })).scanId;
  return { end: await ended, events };
}

async function waitForJob(session: Session, id: number): Promise<JobInfo> {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
    if (TERMINAL_JOB_STATUSES.includes(session.jobs.get(id).status)) {
      await session.jobs.settled();
      return session.jobs.get(id);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${id} did not finish`);
}

describe('experiments and basecall runs (session)', () => {
  const dirs = tempDirs('benchtop-experiments-');
  let session: Session;
  let tree: ReturnType<typeof generateMinknowTree>;
  const data = join(dirs.root, 'data');

  beforeAll(() => {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`npm run build\` first (npm test does).`);
    tree = generateMinknowTree(join(data, 'minknow'));
    session = openTestSession(dirs);
  });
  afterAll(() => {
    session.close();
    dirs.cleanup();
  });

  it('discovers runs in a separate process with progress events; a re-scan updates, never duplicates', async () => {
    const { end, events } = await discover(session, [join(data, 'minknow')]);
    expect(end).toMatchObject({ state: 'done', runsFound: 4, added: 4, updated: 0, unchanged: 0, error: null });
    expect(end.foldersScanned).toBeGreaterThanOrEqual(4);
    expect(events.filter((e) => e.state === 'running').length).toBeGreaterThan(0);
    const list = await session.call('experiments.list', {});
    expect(list.map((e) => [e.flowCellId, e.runState, e.pod5Count, e.pod5Expected]).sort()).toEqual([
      ['FAX33333', 'interrupted', 1, null],
      ['PAW12345', 'complete', 3, 3],
      ['PAW22222', 'incomplete_transfer', 2, 5],
      ['PAW44444', 'complete', 6, 6],
    ]);

    // The transfer finished meanwhile: a re-scan sees it, keeps the ids, adds nothing, leaves the others alone.
    for (const i of [2, 3, 4]) writeFileSync(join(tree.incomplete, 'pod5', `late_${i}.pod5`), 'x');
    const again = await discover(session, [join(data, 'minknow'), tree.complete]);
    expect(again.end).toMatchObject({ state: 'done', runsFound: 4, added: 0, updated: 1, unchanged: 3 });
    const after = await session.call('experiments.list', { search: 'PAW22222' });
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ runState: 'complete', pod5Count: 5, expId: '20240116_0900_P2S-01234-B_PAW22222_b2c3d4e5' });
    expect((await session.call('experiments.list', {})).length).toBe(4);
  });

  it('refuses a folder that does not exist, naming it', async () => {
    const missing = join(data, 'nope');
    expect(await session.dispatch('experiments.discover', { dirs: [missing] })).toEqual({ ok: false, error: { code: 'not_found', message: `There is no folder ${missing}.` } });
  });

  it('cancels a scan, keeping what it stored', async () => {
    const big = join(data, 'big');
    for (let i = 0; i < 300; i++) mkdirSync(join(big, `d${i}`, 'a', 'b'), { recursive: true });
    const { scanId } = await session.call('experiments.discover', { dirs: [big] });
    const ended = new Promise<DiscoveryProgress>((resolve) => {
      const off = session.events.subscribe(({ name, payload }) => {
        const p = payload as DiscoveryProgress;
        if (name === 'discovery.progress' && p.scanId === scanId && p.state !== 'running') {
          off();
          resolve(p);
        }
      });
    });
    // The scan's process has only just been spawned: it cannot have finished yet. The answer says it ended.
    expect((await session.call('experiments.cancelDiscovery', { scanId })).state).toBe('cancelled');
    expect((await ended).state).toBe('cancelled');
    expect((await session.call('experiments.discovery', { scanId })).state).toBe('cancelled');
    expect((await session.call('experiments.list', {})).length).toBe(4);
  });

  it('registers a BAM by its name; refuses a missing file, an unknown experiment, a bad bitflag, a non-BAM', async () => {
    const expId = '20240115_1423_P2S-01234-A_PAW12345_a1b2c3d4';
    const bam = writeBam(join(data, `${expId}_sup_v5.0.0_trim1_3.bam`));
    const link = join(data, 'via-link.bam');
    symlinkSync(bam, link);
    const run = await session.call('basecalls.register', { bamPath: bam });
    expect(run).toMatchObject({
      runId: `${expId}_sup_v5.0.0_trim1_3`, expId, modelTier: 'sup', modelVersion: 'v5.0.0', trim: 1, modBitflag: 3,
      mods: ['6mA', '5mCG_5hmCG'], status: 'complete', bamPath: bam, smaDbPath: null,
    });
    const detail = await session.call('experiments.get', { expId });
    expect(detail.basecalls.map((b) => b.runId)).toEqual([run.runId]);
    expect(detail.basecallRuns).toBe(1);
    expect((await session.call('sma.pending', {})).runs.map((r) => r.runId)).toEqual([run.runId]);

    // By hand, through a link: the stored path is the resolved file.
    const byHand = await session.call('basecalls.register', { bamPath: link, expId, tier: 'hac', version: '4.3.0', trim: 0, modBitflag: 0, status: 'pending' });
    expect(byHand).toMatchObject({ runId: `${expId}_hac_v4.3.0_trim0_0`, bamPath: bam, mods: [], status: 'pending' });
    expect((await session.call('sma.pending', {})).runs.map((r) => r.runId)).toEqual([run.runId]);

    const fail = async (req: Parameters<typeof session.dispatch>[1]) => {
      const r = await session.dispatch('basecalls.register', req);
      if (r.ok) throw new Error('accepted');
      return r.error;
    };
    expect(await fail({ bamPath: join(data, 'missing.bam') })).toEqual({ code: 'not_found', message: `There is no file ${join(data, 'missing.bam')}.` });
    const unknown = writeBam(join(data, 'NOPE_sup_v5.0.0_trim1_0.bam'));
    expect(await fail({ bamPath: unknown })).toMatchObject({ code: 'not_found', message: expect.stringMatching(/There is no experiment NOPE .*createExperiment/) });
    expect(await session.call('basecalls.register', { bamPath: unknown, createExperiment: true })).toMatchObject({ expId: 'NOPE' });
    const badFlag = writeBam(join(data, `${expId}_sup_v5.0.0_trim1_32.bam`));
    expect(await fail({ bamPath: badFlag })).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/bitflag 32 has bits no modification defines/) });
    const unnamed = writeBam(join(data, 'reads.bam'));
    expect(await fail({ bamPath: unnamed })).toMatchObject({ message: expect.stringMatching(/does not follow .*give expId, tier, version, trim, modBitflag by hand/) });
    const notBam = join(data, `${expId}_fast_v5.0.0_trim1_0.bam`);
    writeFileSync(notBam, 'plain text');
    expect(await fail({ bamPath: notBam })).toEqual({ code: 'invalid_request', message: `${notBam} is not a BAM file (no BGZF-compressed "BAM\\1" header).` });
  });
});

describe('the basecall step', () => {
  it('builds dorado basecaller argv from the parameters', () => {
    expect(parseModel('sup@v5.0.0')).toEqual({ tier: 'sup', version: 'v5.0.0' });
    expect(parseModel('dna_r10.4.1_e8.2_400bps_hac@v4.3.0')).toEqual({ tier: 'hac', version: 'v4.3.0' });
    expect(() => parseModel('dna_r10.4.1_e8.2_400bps')).toThrow(/not a dorado model/);
    expect(basecallerArgs({ model: 'sup@v5.0.0', pod5Dir: '/d/pod 5', modifiedBases: [], trim: true, batchSize: 0, emitMoves: false, device: 'cuda:all' })).toEqual([
      'basecaller', 'sup@v5.0.0', '/d/pod 5', '--recursive', '--device', 'cuda:all',
    ]);
    expect(basecallerArgs({ model: 'hac@v4.3.0', pod5Dir: '/d', modifiedBases: ['6mA', '5mCG_5hmCG'], trim: false, batchSize: 256, emitMoves: true, device: 'cpu' })).toEqual([
      'basecaller', 'hac@v4.3.0', '/d', '--recursive', '--device', 'cpu', '--batchsize', '256', '--no-trim', '--emit-moves', '--modified-bases', '6mA', '5mCG_5hmCG',
    ]);
  });

  it('runs the dorado stand-in through the job runner and registers its BAM as a basecall run', async () => {
    const dirs = tempDirs('benchtop-basecall-');
    const session = openTestSession(dirs);
    try {
      const tree = generateMinknowTree(join(dirs.root, 'minknow'));
      session.workspace.db.prepare("INSERT INTO experiments (exp_id, experiment_path) VALUES ('E1', ?)").run(tree.barcoded);
      await session.call('tools.setPath', { name: 'dorado', path: STANDIN });
      const { id: runId } = await session.call('runs.create', { name: 'basecall E1', pipeline: 'nanopore' });
      const preflight = await session.call('steps.preflight', {
        runId,
        step: 'basecall',
        params: { exp_id: 'E1', pod5_dir: tree.barcoded, modified_bases: '6mA 5mCG_5hmCG', trim: false, emit_moves: true, batch_size: 128, device: 'cpu' },
      });
      expect(preflight.problems).toEqual([]);
      const job = await session.call('jobs.start', {
        runId,
        step: 'basecall',
        params: { exp_id: 'E1', pod5_dir: tree.barcoded, modified_bases: '6mA 5mCG_5hmCG', trim: false, emit_moves: true, batch_size: 128, device: 'cpu' },
      });
      const done = await waitForJob(session, job.id);
      const log = readFileSync(join(dirs.workspace, done.logFile!), 'utf8');
      expect(done.status, log).toBe('completed');
      // What dorado itself received, element by element.
      const received = log.split('\n').filter((l) => l.startsWith('dorado-standin arg: ')).map((l) => l.slice('dorado-standin arg: '.length));
      expect(received).toEqual(['basecaller', 'sup@v5.0.0', tree.barcoded, '--recursive', '--device', 'cpu', '--batchsize', '128', '--no-trim', '--emit-moves', '--modified-bases', '6mA', '5mCG_5hmCG']);

      const runs = (await session.call('experiments.get', { expId: 'E1' })).basecalls;
      expect(runs).toHaveLength(1);
      const bam = join(dirs.workspace, 'runs', runId, 'basecall', 'E1_sup_v5.0.0_trim0_3.bam');
      expect(runs[0]).toMatchObject({
        runId: 'E1_sup_v5.0.0_trim0_3', modelTier: 'sup', modelVersion: 'v5.0.0', trim: 0, modBitflag: 3, mods: ['6mA', '5mCG_5hmCG'],
        doradoVersion: '0.9.6+standin', batchSize: 128, emitMoves: 1, gpuModel: null, status: 'complete', bamPath: bam,
        analysisRunId: runId, jobId: job.id,
      });
      expect(runs[0]!.doradoArgs).toBe(received.join(' '));
      expect(runs[0]!.runtimeSeconds).toBeGreaterThan(0);
      expect(spawnSync('samtools', ['view', '-c', bam], { encoding: 'utf8' }).stdout.trim()).toBe('2');
      const result = await session.call('results.get', { runId, step: 'basecall' });
      expect(result?.metrics.find((m) => m.label === 'Basecall run')?.value).toBe('E1_sup_v5.0.0_trim0_3');

      // A failing basecaller registers nothing, and an unknown experiment is refused before dorado runs.
      const bad = await session.call('jobs.start', { runId, step: 'basecall', params: { exp_id: 'NOPE', pod5_dir: tree.barcoded } });
      const failed = await waitForJob(session, bad.id);
      expect(failed.status).toBe('failed');
      expect(readFileSync(join(dirs.workspace, failed.logFile!), 'utf8')).toMatch(/there is no experiment NOPE in /);
      expect(session.workspace.db.prepare('SELECT COUNT(*) FROM basecall_runs').pluck().get()).toBe(1);
    } finally {
      session.close();
      dirs.cleanup();
    }
  });
});
