/**
 * `benchtop qc` and the read_qc step as a scientist runs them: the built CLI spawned, and the step
 * launched through jobs.start on a run (the real job runner), its results read through results.get.
 * Needs the build (`npm test` builds first).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../tests/cli';
import { TERMINAL_JOB_STATUSES } from '../../../shared/schemas/jobs';
import { writeNanoporeFastq } from '../../../tests/fixtures/nanopore/reads';
import { openTestSession, tempDirs } from '../../../tests/tempWorkspace';
import type { Session } from '../../api/session';
import { readQcFile } from './readFile';
import type { ReadQcReport } from './report';

const BIN = join(import.meta.dirname, '../../../bin/benchtop.js');
const BUILT = join(import.meta.dirname, '../../../dist/cli/benchtop.js');
const dirs = tempDirs('benchtop-readqc-step-');
const fastq = join(dirs.root, 'reads.fastq');
const summary = join(dirs.root, 'sequencing_summary.txt');

function benchtop(args: string[]) {
  return runCli(args, dirs);
}

beforeAll(() => {
  if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`npm run build\` first (npm test does).`);
  writeNanoporeFastq({ path: fastq, seed: 2, reads: 400 });
  const rows = ['read_id\tchannel\tstart_time\tduration\tend_reason\tsequence_length_template\tpasses_filtering'];
  for (let i = 0; i < 400; i++) rows.push(`r${i}\t${1 + (i % 37)}\t${i * 9}\t2.5\t${i % 10 === 0 ? 'unblock_mux_change' : 'signal_positive'}\t${1000 + i}\t${i % 4 ? 'TRUE' : 'FALSE'}`);
  writeFileSync(summary, `${rows.join('\n')}\n`);
});
afterAll(() => dirs.cleanup());

describe('benchtop qc (built CLI)', () => {
  it('--json prints the same figures the engine computes; the human table names them', async () => {
    const r = benchtop(['qc', fastq, '--summary', summary, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as ReadQcReport;
    expect(report.metrics).toEqual((await readQcFile(fastq)).metrics);
    expect(report.summary).toMatchObject({ reads: 400, activeChannels: 37, passedReads: 300, endReasons: [{ endReason: 'signal_positive', reads: 360 }, { endReason: 'unblock_mux_change', reads: 40 }] });
    const human = benchtop(['qc', fastq]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`Reads                          ${report.metrics.reads.toLocaleString('en-US')}`);
    expect(human.stdout).toMatch(/N50 +[\d,]+ bp/);
    expect(human.stdout).toMatch(/Reads ≥ Q20 +[\d,]+ \([\d.]+ %\)/);
  });

  it('bad input: exit 1 and one stderr line naming the file and the record', () => {
    const bad = join(dirs.root, 'bad.fastq');
    writeFileSync(bad, '@ok\nACGT\n+\nIIII\n@short\nACGT\n+\nIII\n');
    const r = benchtop(['qc', bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`benchtop qc: ${bad} record 2 (short): sequence and quality lengths differ (4 and 3)\n`);
  });

  it('a FASTQ with one 100 MB line stops at the line limit, with memory bounded, naming the file and record', () => {
    const huge = join(dirs.root, 'huge.fastq');
    const fd = openSync(huge, 'w');
    const block = Buffer.alloc(1 << 20, 'A');
    writeSync(fd, '@giant\n');
    for (let i = 0; i < 100; i++) writeSync(fd, block);
    writeSync(fd, '\n+\n');
    closeSync(fd);
    const r = spawnSync(process.execPath, [BIN, 'qc', huge], { encoding: 'utf8', env: { ...process.env, BENCHTOP_CONFIG_DIR: dirs.config, BENCHTOP_WORKSPACE: dirs.workspace }, timeout: 60_000 });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`benchtop qc: ${huge}: record 1: line longer than 64 MiB\n`);
  });
});

describe('the read_qc step through jobs.start', () => {
  let session: Session;
  afterAll(() => session?.close());

  it('runs as a job on a nanopore run and its results show metrics, tables and plots', async () => {
    session = openTestSession(dirs);
    const run = await session.call('runs.create', {
      name: 'flow cell QC',
      pipeline: 'nanopore',
      inputs: [
        { role: 'READS', path: fastq },
        { role: 'SUMMARY', path: summary },
      ],
    });
    const started = await session.call('jobs.start', { runId: run.id, step: 'read_qc', params: {} });
    let job = session.jobs.get(started.id);
    for (const deadline = Date.now() + 60_000; !TERMINAL_JOB_STATUSES.includes(job.status) && Date.now() < deadline; job = session.jobs.get(started.id)) await new Promise((r) => setTimeout(r, 100));
    await session.jobs.settled();
    job = session.jobs.get(started.id);
    expect(job.status, job.error ?? '').toBe('completed');
    expect(job.argv).toContain('--summary');

    const result = await session.call('results.get', { runId: run.id, step: 'read_qc' });
    const expected = (await readQcFile(fastq)).metrics;
    const metric = (label: string) => result?.metrics.find((m) => m.label === label)?.value;
    expect(metric('Reads')).toBe(expected.reads);
    expect(metric('Bases')).toBe(expected.bases);
    expect(metric('N50')).toBe(expected.n50);
    expect(metric('Active channels')).toBe(37);
    expect(result?.tables.map((t) => t.id)).toEqual(['read_lengths', 'end_reasons']);
    expect(result?.plots.map((p) => p.id)).toEqual(['read_length_histogram', 'read_q_histogram', 'yield_over_time', 'active_channels']);
    expect(result?.files.map((f) => f.path)).toEqual(['read_qc/readqc_lengths.tsv', 'read_qc/readqc_yield.tsv']);
    const tsv = readFileSync(join(run.dir, 'read_qc', 'readqc_lengths.tsv'), 'utf8').trim().split('\n');
    expect(tsv[0]).toBe('from\tto\treads\tbases');
    expect(tsv.slice(1).reduce((a, l) => a + Number(l.split('\t')[2]), 0)).toBe(expected.reads);
    const log = readFileSync(session.jobs.logPath(job.id)!, 'utf8');
    expect(log).toMatch(/##progress \d+ \d+ bytes/);
  });
});
