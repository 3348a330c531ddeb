/**
 * The ingest as a scientist starts it: `sma.ingest` on a basecall run (an analysis run with linked
 * inputs, the sma_ingest step as a job, results through `results.get`), `benchtop ingest` and
 * `benchtop pending-sma` on the command line, and an ingest killed mid-way. Needs the build: the
 * step runs the CLI, and the distances run on the built worker script.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../tests/cli';
import { TERMINAL_JOB_STATUSES, type JobInfo } from '../../../shared/schemas/jobs';
import { randomSeq, mutate, revcomp, rng, writeBam, writeFasta, type SamRead } from '../../demo/data/smaReads';
import { openTestSession, tempDirs } from '../../../tests/tempWorkspace';
import type { Session } from '../../api/session';

const BIN = join(import.meta.dirname, '../../../bin/benchtop.js');
const WORKER = join(import.meta.dirname, '../../../dist/cli/ingestWorker.js');

const dirs = tempDirs('benchtop-sma-job-');
const data = join(dirs.root, 'data');
const rand = rng(99);
const target = randomSeq(rand, 1000);
const fasta = join(data, 'target.fa');
const smallBam = join(data, 'exp1_hac_v5.0.0_trim0_0.bam');
const bigBam = join(data, 'big.bam');
let session: Session;

function reads(n: number, prefix: string): SamRead[] {
  return Array.from({ length: n }, (_, i) => {
    const seq = mutate(rand, target, 0.06);
    return { name: `${prefix}${i}`, seq: i % 2 ? revcomp(seq) : seq, qual: Array.from(seq, () => 20), tags: ['er:Z:signal_positive'] };
  });
}

function benchtop(args: string[]) {
  return runCli([...args, '--workspace', dirs.workspace], dirs, { timeoutMs: 120_000 });
}

function central(): Database.Database {
  return new Database(join(dirs.workspace, 'benchtop.db'));
}

function addBasecallRun(runId: string, expId: string, bam: string): void {
  const db = central();
  db.prepare('INSERT OR IGNORE INTO experiments (exp_id, sample_id) VALUES (?, ?)').run(expId, `sample of ${expId}`);
  db.prepare("INSERT INTO basecall_runs (run_id, exp_id, model_tier, bam_path, status) VALUES (?, ?, 'hac', ?, 'complete')").run(runId, expId, bam);
  db.close();
}

async function waitJob(jobId: number): Promise<JobInfo> {
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
    const job = session.jobs.get(jobId);
    if (TERMINAL_JOB_STATUSES.includes(job.status)) {
      await session.jobs.settled();
      return session.jobs.get(jobId);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${jobId} did not finish in time`);
}

beforeAll(() => {
  if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run \`npm run build\` first (npm test does).`);
  execFileSync('mkdir', ['-p', data]);
  writeFasta(fasta, [['plasmid', target]]);
  writeBam(smallBam, reads(40, 'r'));
  session = openTestSession(dirs);
});
afterAll(() => {
  session.close();
  rmSync(dirs.root, { recursive: true, force: true });
});

describe('sma.ingest: the ingest as a job', () => {
  it('lists the basecall run as pending, ingests it in a job, then marks it analyzed', async () => {
    addBasecallRun('exp1_hac', 'exp1', smallBam);
    const pending = await session.call('sma.pending', {});
    expect(pending.runs).toEqual([expect.objectContaining({ runId: 'exp1_hac', expId: 'exp1', sampleId: 'sample of exp1', modelTier: 'hac', bamPath: smallBam, ingest: null })]);

    const started = await session.call('sma.ingest', { basecallRunId: 'exp1_hac', refs: [fasta], taggedBam: true });
    const job = await waitJob(started.jobId);
    expect(job.status, job.error ?? '').toBe('completed');
    expect(job.argv).toEqual(expect.arrayContaining(['builtin', 'sma_ingest', '--basecall-run', 'exp1_hac', '--tolerance', '150']));

    const run = await session.call('runs.get', { id: started.runId });
    expect(run.pipeline).toBe('nanopore');
    expect(run.inputs.map((i) => [i.role, i.mode])).toEqual([
      ['BAM', 'link'],
      ['REF1', 'link'],
    ]);
    const db = central();
    expect(db.prepare('SELECT status, sma_db_path FROM basecall_runs WHERE run_id = ?').get('exp1_hac')).toEqual({
      status: 'analyzed',
      sma_db_path: join(dirs.workspace, 'reads', 'SMA_exp1.db'),
    });
    db.close();
    const sma = new Database(join(dirs.workspace, 'reads', 'SMA_exp1.db'), { readonly: true });
    expect(sma.prepare("SELECT COUNT(*) AS n, SUM(strand = '-') AS rev, SUM(ref_id = 'plasmid') AS matched FROM reads WHERE run_id = 'exp1_hac'").get()).toEqual({ n: 40, rev: 20, matched: 40 });
    sma.close();

    const result = await session.call('results.get', { runId: started.runId, step: 'sma_ingest' });
    expect(result?.metrics).toEqual(expect.arrayContaining([{ label: 'Reads', value: 40 }, { label: 'Matched a reference', value: 40 }]));
    expect(result?.files).toEqual([expect.objectContaining({ path: 'sma_ingest/tagged.bam', kind: 'bam' })]);
    const tagged = join(run.dir, 'sma_ingest', 'tagged.bam');
    const sam = execFileSync('samtools', ['view', tagged], { encoding: 'utf8' }).trim().split('\n');
    expect(sam).toHaveLength(40);
    expect(sam.every((l) => l.endsWith('\tER:Z:signal_positive'))).toBe(true);
    expect(readFileSync(join(dirs.workspace, job.logFile!), 'utf8')).toMatch(/##progress 40 40 reads/);

    expect((await session.call('sma.pending', {})).runs).toEqual([]);
  });

  it('refuses a basecall run that does not exist, and a missing reference, before any job runs', async () => {
    await expect(session.call('sma.ingest', { basecallRunId: 'nope', refs: [fasta] })).rejects.toThrow(/no basecall run "nope"/);
    addBasecallRun('exp3_sup', 'exp3', smallBam);
    await expect(session.call('sma.ingest', { basecallRunId: 'exp3_sup', refs: [join(data, 'missing.fa')] })).rejects.toThrow(/missing\.fa does not exist/);
  });
});

describe('benchtop ingest and pending-sma', () => {
  it('ingests in the foreground, registering the BAM as a basecall run of the experiment', () => {
    const db = central();
    db.prepare("INSERT INTO experiments (exp_id) VALUES ('exp2')").run();
    db.close();
    const r = benchtop(['ingest', '--exp', 'exp2', '--bam', smallBam, '--ref', fasta, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { run_id: string; total_reads: number; matched_reads: number; readsDb: string };
    expect(out).toMatchObject({ run_id: 'exp1_hac_v5.0.0_trim0_0', total_reads: 40, matched_reads: 40, readsDb: join(dirs.workspace, 'reads', 'SMA_exp2.db') });
    expect(r.stderr).toMatch(/40 primary reads/);
    addBasecallRun('exp5_fast', 'exp5', smallBam);
    expect(benchtop(['pending-sma']).stdout).toMatch(/^Run ID\s+Exp ID\s+Tier\s+BAM\n(.*\n)*exp5_fast\s+exp5\s+hac\s+\S+exp1_hac_v5.0.0_trim0_0.bam$/m);
    const json = JSON.parse(benchtop(['pending-sma', '--json']).stdout) as { runs: { runId: string }[] };
    expect(json.runs.map((r) => r.runId)).toContain('exp5_fast');
  });

  it('names the problem on bad input', () => {
    expect(benchtop(['ingest', '--exp', 'nowhere', '--bam', join(data, 'missing.bam'), '--ref', fasta])).toMatchObject({ code: 1, stderr: expect.stringMatching(/no file .*missing\.bam/) });
    expect(benchtop(['ingest', '--exp', 'exp2', '--bam', smallBam])).toMatchObject({ code: 1, stderr: expect.stringMatching(/--ref is required/) });
  });
});

describe('an ingest killed mid-way', () => {
  it('leaves the previous SMA DB byte-for-byte and row-for-row, and marks nothing analyzed', async () => {
    writeBam(bigBam, reads(12_000, 'big'));
    addBasecallRun('exp4_small', 'exp4', smallBam);
    addBasecallRun('exp4_big', 'exp4', bigBam);
    const first = benchtop(['ingest', '--run', 'exp4_small', '--bam', smallBam, '--ref', fasta]);
    expect(first.code, first.stderr).toBe(0);
    const file = join(dirs.workspace, 'reads', 'SMA_exp4.db');
    const sha = () => createHash('sha256').update(readFileSync(file)).digest('hex');
    const snapshot = () => {
      const db = new Database(file, { readonly: true });
      const all = { reads: db.prepare('SELECT * FROM reads ORDER BY run_id, read_id').all(), summaries: db.prepare('SELECT * FROM run_summaries ORDER BY run_id').all() };
      db.close();
      return all;
    };
    const bytesBefore = sha();
    const rowsBefore = snapshot();

    const child = spawn(process.execPath, [BIN, 'ingest', '--run', 'exp4_big', '--bam', bigBam, '--ref', fasta, '--workspace', dirs.workspace], {
      env: { ...process.env, BENCHTOP_CONFIG_DIR: dirs.config },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const done = [...stderr.matchAll(/^([\d,]+)(?: of ~[\d,]+)? reads$/gm)].map((m) => Number(m[1]!.replace(/,/g, '')));
        if (done.some((n) => n >= 500)) resolve();
      });
      child.on('exit', () => reject(new Error(`the ingest ended before it could be killed: ${stderr}`)));
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    expect(sha()).toBe(bytesBefore);
    expect(snapshot()).toEqual(rowsBefore);
    const db = central();
    expect(db.prepare('SELECT status, sma_db_path FROM basecall_runs WHERE run_id = ?').get('exp4_big')).toEqual({ status: 'complete', sma_db_path: null });
    db.close();
  });
});
