/**
 * An ingest that fails part-way, as a scientist meets it: on the command line (the built CLI, with
 * the distances on worker threads) and as the sma_ingest job. The first real cause is what they
 * read, naming the file (and the byte offset of a damaged BGZF block), and the SMA DB is as before.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../tests/cli';
import { TERMINAL_JOB_STATUSES } from '../../../shared/schemas/jobs';
import { mutate, randomSeq, rng, writeBam, writeFasta, type SamRead } from '../../demo/data/smaReads';
import { openTestSession, tempDirs } from '../../../tests/tempWorkspace';

const WORKER = join(import.meta.dirname, '../../../dist/cli/ingestWorker.js');

const dirs = tempDirs('benchtop-sma-fail-');
const data = join(dirs.root, 'data');
const rand = rng(7);
const target = randomSeq(rand, 1000);
const fasta = join(data, 'target.fa');
const goodBam = join(data, 'good.bam');
const bigBam = join(data, 'big.bam');
const cutBam = join(data, 'cut.bam');

function reads(n: number, prefix: string): SamRead[] {
  return Array.from({ length: n }, (_, i) => {
    const seq = mutate(rand, target, 0.06);
    return { name: `${prefix}${i}`, seq, qual: Array.from(seq, () => 20), tags: ['er:Z:signal_positive'] };
  });
}

function benchtop(args: string[]) {
  return runCli([...args, '--workspace', dirs.workspace], dirs, { timeoutMs: 120_000 });
}

/** Byte offsets of a BGZF file's blocks, from each block's BSIZE field. */
function blockOffsets(file: string): number[] {
  const bytes = readFileSync(file);
  const offsets: number[] = [];
  for (let p = 0; p < bytes.length; p += bytes.readUInt16LE(p + 16) + 1) offsets.push(p);
  return offsets;
}

function addBasecallRun(runId: string, expId: string, bam: string): void {
  const db = new Database(join(dirs.workspace, 'benchtop.db'));
  db.prepare('INSERT OR IGNORE INTO experiments (exp_id) VALUES (?)').run(expId);
  db.prepare("INSERT INTO basecall_runs (run_id, exp_id, bam_path, status) VALUES (?, ?, ?, 'complete')").run(runId, expId, bam);
  db.close();
}

function sha(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

let cutAt = 0;
let blockAt = 0;

beforeAll(() => {
  if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run \`npm run build\` first (npm test does).`);
  mkdirSync(data, { recursive: true });
  writeFasta(fasta, [['plasmid', target]]);
  writeBam(goodBam, reads(20, 'g'));
  writeBam(bigBam, reads(6000, 'b'));
  // Cut in the middle of a block well into the file, so batches are in flight on the workers.
  const offsets = blockOffsets(bigBam);
  const i = Math.floor(offsets.length * 0.6);
  blockAt = offsets[i]!;
  cutAt = Math.floor((offsets[i]! + offsets[i + 1]!) / 2);
  writeFileSync(cutBam, readFileSync(bigBam).subarray(0, cutAt));
  const init = benchtop(['init']);
  if (init.code !== 0) throw new Error(init.stderr);
});
afterAll(() => rmSync(dirs.root, { recursive: true, force: true }));

describe('a truncated BAM', () => {
  it('benchtop ingest names the file and the cut block, exits 1 without a stack trace, and keeps the SMA DB', () => {
    addBasecallRun('cut_good', 'expcut', goodBam);
    addBasecallRun('cut_big', 'expcut', cutBam);
    expect(benchtop(['ingest', '--run', 'cut_good', '--bam', goodBam, '--ref', fasta]).code).toBe(0);
    const sma = join(dirs.workspace, 'reads', 'SMA_expcut.db');
    const before = sha(sma);

    const r = benchtop(['ingest', '--run', 'cut_big', '--bam', cutBam, '--ref', fasta, '--tagged-bam', join(data, 'cut.tagged.bam')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`benchtop ingest: ${cutBam}: truncated BGZF block at byte ${blockAt} `);
    expect(r.stderr).not.toMatch(/edit-distance worker|\n\s+at /);
    expect(sha(sma)).toBe(before);
    expect(existsSync(join(data, 'cut.tagged.bam'))).toBe(false);
  });

  it('a BAM cut exactly at a block boundary is truncated too (its end-of-file block is missing)', () => {
    const atBoundary = join(data, 'boundary.bam');
    writeFileSync(atBoundary, readFileSync(bigBam).subarray(0, blockAt));
    addBasecallRun('cut_boundary', 'expcut', atBoundary);
    const r = benchtop(['ingest', '--run', 'cut_boundary', '--bam', atBoundary, '--ref', fasta]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${atBoundary}: truncated BGZF block at byte ${blockAt} (the file ends without the BGZF end-of-file block)`);
  });

  it('as the sma_ingest job: the log says why, and the basecall run stays pending', async () => {
    addBasecallRun('cut_job', 'expcutjob', cutBam);
    const session = openTestSession(dirs);
    try {
      const started = await session.call('sma.ingest', { basecallRunId: 'cut_job', refs: [fasta] });
      for (const deadline = Date.now() + 120_000; !TERMINAL_JOB_STATUSES.includes(session.jobs.get(started.jobId).status); ) {
        if (Date.now() > deadline) throw new Error('the job did not end');
        await new Promise((res) => setTimeout(res, 100));
      }
      await session.jobs.settled();
      const job = session.jobs.get(started.jobId);
      expect(job.status).toBe('failed');
      const log = readFileSync(join(dirs.workspace, job.logFile!), 'utf8');
      expect(log).toMatch(new RegExp(`^benchtop builtin sma_ingest: \\S+/cut\\.bam: truncated BGZF block at byte ${blockAt} `, 'm'));
      expect(log).not.toMatch(/edit-distance worker/);
      // The job's error, shown beside its status, says the same.
      expect(job.error).toMatch(new RegExp(`^exited with code 1: benchtop builtin sma_ingest: \\S+/cut\\.bam: truncated BGZF block at byte ${blockAt} `));
      expect((await session.call('sma.pending', {})).runs.map((run) => run.runId)).toContain('cut_job');
    } finally {
      session.close();
    }
  });
});

describe('a full disk', () => {
  const readsDir = join(dirs.workspace, 'reads');
  const tinyDir = join(dirs.root, 'tiny');
  const mounts: string[] = [];
  let why = '';
  /** A tmpfs of `size` on `dir`, or false (with the reason in `why`) where mounting is not permitted. */
  function mountTmpfs(dir: string, size: string): boolean {
    mkdirSync(dir, { recursive: true });
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
    if (r.status === 0) mounts.push(dir);
    else why = r.error?.message ?? r.stderr.trim();
    return r.status === 0;
  }
  let mounted = false;
  beforeAll(() => {
    mounted = mountTmpfs(readsDir, '2m') && mountTmpfs(tinyDir, '64k');
  });
  afterAll(() => {
    for (const dir of mounts.reverse()) execFileSync('umount', [dir]);
  });

  it('names the SMA DB that could not grow, and leaves it and the central DB as they were', (ctx) => {
    if (!mounted) {
      console.warn(`skipped: cannot mount a small tmpfs to fill (${why})`);
      ctx.skip();
    }
    addBasecallRun('full_good', 'expfull', goodBam);
    addBasecallRun('full_big', 'expfull', bigBam);
    expect(benchtop(['ingest', '--run', 'full_good', '--bam', goodBam, '--ref', fasta]).code).toBe(0);
    const sma = join(readsDir, 'SMA_expfull.db');
    const before = sha(sma);

    const r = benchtop(['ingest', '--run', 'full_big', '--bam', bigBam, '--ref', fasta]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`benchtop ingest: ${sma}: disk full`);
    expect(r.stderr).not.toMatch(/edit-distance worker|\n\s+at /);
    expect(sha(sma)).toBe(before);

    const central = new Database(join(dirs.workspace, 'benchtop.db'), { readonly: true });
    expect(central.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(central.prepare('SELECT status, sma_db_path FROM basecall_runs WHERE run_id = ?').get('full_big')).toEqual({ status: 'complete', sma_db_path: null });
    central.close();
  });

  it('names the tagged BAM when it is the file that fills the disk', (ctx) => {
    if (!mounted) {
      console.warn(`skipped: cannot mount a small tmpfs to fill (${why})`);
      ctx.skip();
    }
    // 600 reads fit in the SMA DB's 2 MB; their tagged copy does not fit in 64 kB.
    const someBam = join(data, 'some.bam');
    writeBam(someBam, reads(600, 's'));
    const tagged = join(tinyDir, 'some.tagged.bam');
    addBasecallRun('full_tagged', 'expfull2', someBam);
    const r = benchtop(['ingest', '--run', 'full_tagged', '--bam', someBam, '--ref', fasta, '--tagged-bam', tagged]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`benchtop ingest: ${tagged}: disk full`);
    expect(existsSync(tagged)).toBe(false);
    const sma = new Database(join(readsDir, 'SMA_expfull2.db'), { readonly: true });
    expect(sma.prepare('SELECT COUNT(*) AS n FROM reads').get()).toEqual({ n: 0 });
    sma.close();
  });

  it('names a new SMA DB that cannot even be created', (ctx) => {
    if (!mounted) {
      console.warn(`skipped: cannot mount a small tmpfs to fill (${why})`);
      ctx.skip();
    }
    const filler = join(readsDir, 'filler');
    const fd = openSync(filler, 'w');
    try {
      for (const block = Buffer.alloc(4096); ; ) writeSync(fd, block);
    } catch (err) {
      expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
    } finally {
      closeSync(fd);
    }
    try {
      addBasecallRun('full_new', 'expfull3', goodBam);
      const r = benchtop(['ingest', '--run', 'full_new', '--bam', goodBam, '--ref', fasta]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`benchtop ingest: ${join(readsDir, 'SMA_expfull3.db')}: disk full`);
    } finally {
      rmSync(filler);
    }
  });
});
