/**
 * Each results parser on the real tools' real reports, made here from a generated dataset:
 * FastQC (extracted and zip-only), cutadapt --json, fastp --json, samtools flagstat; and the
 * errors for corrupt reports.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/errors';
import { generateQslamDataset, type QslamDataset } from '../demo/data/qslam';
import { runReadMapping } from '../pipelines/qslam/readMapping';
import { which } from '../pipelines/qslam/proc';
import { loadStepResult, resultParserIds } from './index';

const tmp = mkdtempSync(join(tmpdir(), 'benchtop-results-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const runDir = join(tmp, 'runs', 'run-1');
const stepDir = (id: string) => join(runDir, id);

function sh(argv: string[]): string {
  const [cmd, ...args] = argv;
  const path = which(cmd as string);
  if (!path) throw new Error(`${cmd} is not installed`);
  const r = spawnSync(path, args, { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

const metric = (r: ReturnType<typeof loadStepResult>, label: string, unit?: string) => r?.metrics.find((m) => m.label === label && (unit === undefined || m.unit === unit))?.value;

let data: QslamDataset;
beforeAll(() => {
  // No UMI: the primer starts each R1, so cutadapt's anchored primer matches every R1 but the short ones.
  data = generateQslamDataset({ dir: join(tmp, 'data'), seed: 5, umiLength: 0, shortR1Pairs: 3 });
  mkdirSync(join(runDir, 'rawdata'), { recursive: true });
  copyFileSync(data.r1, join(runDir, 'rawdata', 'R1.fastq.gz'));
  copyFileSync(data.r2, join(runDir, 'rawdata', 'R2.fastq.gz'));
});

describe('results parsers', () => {
  it('registry: the ids, unknown ids, steps with no report yet', () => {
    expect(resultParserIds().sort()).toEqual(['builtin', 'cutadapt', 'fastp', 'fastqc', 'flagstat']);
    expect(() => loadStepResult(tmp, 'nope')).toThrow(ApiError);
    expect(() => loadStepResult(tmp, 'toString')).toThrow(/No results parser "toString"/);
    for (const id of resultParserIds()) expect(loadStepResult(join(tmp, 'empty-step'), id)).toBeNull();
  });

  it('fastqc: module × file verdicts from summary.txt, the same from the zip, HTML reports linked', () => {
    const qc = stepDir('qc');
    mkdirSync(join(qc, 'before'), { recursive: true });
    sh(['fastqc', '--quiet', '--extract', '--outdir', join(qc, 'before'), join(runDir, 'rawdata', 'R1.fastq.gz'), join(runDir, 'rawdata', 'R2.fastq.gz')]);
    const r = loadStepResult(qc, 'fastqc', { jobId: 42 });
    expect(r?.jobId).toBe(42);
    expect(r?.step).toBe('qc');
    const table = r?.tables.find((t) => t.id === 'fastqc_modules');
    expect(table?.columns.map((c) => c.label)).toEqual(['Module', 'before/R1.fastq.gz', 'before/R2.fastq.gz']);
    // The verdicts FastQC wrote, row by row.
    const summary = readFileSync(join(qc, 'before', 'R1_fastqc', 'summary.txt'), 'utf8').trim().split('\n').map((l) => l.split('\t'));
    expect(table?.rows.map((row) => [row.module, row.f0])).toEqual(summary.map(([v, m]) => [m, v]));
    expect(table?.rows.find((row) => row.module === 'Basic Statistics')).toEqual({ module: 'Basic Statistics', f0: 'PASS', f1: 'PASS' });
    expect(metric(r, 'before/R1.fastq.gz: sequences')).toBe(data.pairs.length);
    const worst = summary.some(([v]) => v === 'FAIL') ? 'fail' : summary.some(([v]) => v === 'WARN') ? 'warn' : 'pass';
    expect(r?.metrics.find((m) => m.label === 'before/R1.fastq.gz')?.verdict).toBe(worst);
    expect(r?.files.filter((f) => f.kind === 'html').map((f) => f.path)).toEqual(['qc/before/R1_fastqc.html', 'qc/before/R2_fastqc.html']);

    // Not extracted: the same answer from the zips.
    rmSync(join(qc, 'before', 'R1_fastqc'), { recursive: true });
    rmSync(join(qc, 'before', 'R2_fastqc'), { recursive: true });
    const z = loadStepResult(qc, 'fastqc', { jobId: 42 });
    expect(z?.tables).toEqual(r?.tables);
    expect(z?.metrics).toEqual(r?.metrics);
  });

  it('cutadapt: reads processed, with adapters, written', () => {
    const dir = stepDir('cutadapt');
    mkdirSync(dir, { recursive: true });
    sh(['cutadapt', '-g', `^${data.r1Primer}`, '-G', `^${data.r2Linker}`, '-e', '0.1', '--minimum-length', '30', '--json', join(dir, 'cutadapt.json'), '-o', join(dir, 'R1.trimmed.fastq.gz'), '-p', join(dir, 'R2.trimmed.fastq.gz'), join(runDir, 'rawdata', 'R1.fastq.gz'), join(runDir, 'rawdata', 'R2.fastq.gz')]);
    const r = loadStepResult(dir, 'cutadapt');
    const n = data.pairs.length;
    const short = data.pairs.filter((p) => p.kind === 'short_r1').length;
    expect(metric(r, 'Read pairs processed')).toBe(n);
    expect(metric(r, 'Read 1 with adapter', undefined)).toBe(n - short);
    expect(metric(r, 'Read 2 with adapter')).toBe(n);
    expect(metric(r, 'Read pairs too short')).toBe(short);
    expect(metric(r, 'Read pairs written (passing filters)')).toBe(n - short);
    expect(metric(r, 'Read pairs written', '%')).toBe(Math.round((10000 * (n - short)) / n) / 100);
    expect(r?.files.map((f) => f.path)).toEqual(['cutadapt/cutadapt.json', 'cutadapt/R1.trimmed.fastq.gz', 'cutadapt/R2.trimmed.fastq.gz']);
  });

  it('fastp: before/after reads, Q20/Q30 rates, duplication, adapter-trimmed reads', () => {
    const dir = stepDir('fastp');
    mkdirSync(dir, { recursive: true });
    sh(['fastp', '--in1', join(runDir, 'rawdata', 'R1.fastq.gz'), '--in2', join(runDir, 'rawdata', 'R2.fastq.gz'), '--out1', join(dir, 'R1.fastp.fastq.gz'), '--out2', join(dir, 'R2.fastp.fastq.gz'), '--json', join(dir, 'fastp.json'), '--html', join(dir, 'fastp.html'), '--thread', '1']);
    const r = loadStepResult(dir, 'fastp');
    expect(metric(r, 'Reads before filtering')).toBe(2 * data.pairs.length);
    // Q20/Q30 computed here from the qualities the generator wrote.
    let bases = 0;
    let q20 = 0;
    let q30 = 0;
    for (const f of [data.r1, data.r2]) {
      const lines = gunzipSync(readFileSync(f)).toString().split('\n');
      for (let i = 3; i < lines.length; i += 4) {
        for (const ch of lines[i] as string) {
          const q = ch.charCodeAt(0) - 33;
          bases++;
          if (q >= 20) q20++;
          if (q >= 30) q30++;
        }
      }
    }
    expect(metric(r, 'Q20 bases before')).toBeCloseTo((100 * q20) / bases, 2);
    expect(metric(r, 'Q30 bases before')).toBeCloseTo((100 * q30) / bases, 2);
    const json = JSON.parse(readFileSync(join(dir, 'fastp.json'), 'utf8')) as { duplication: { rate: number }; adapter_cutting?: { adapter_trimmed_reads: number }; summary: { after_filtering: { total_reads: number } } };
    expect(metric(r, 'Reads after filtering')).toBe(json.summary.after_filtering.total_reads);
    expect(metric(r, 'Duplication rate')).toBe(Math.round(json.duplication.rate * 10000) / 100);
    expect(metric(r, 'Reads with adapter trimmed')).toBe(json.adapter_cutting?.adapter_trimmed_reads ?? null);
    expect(r?.files.map((f) => [f.path, f.kind])).toEqual([
      ['fastp/fastp.json', 'json'],
      ['fastp/fastp.html', 'html'],
    ]);
  });

  it('flagstat (and read_mapping\'s own results.json) agree with samtools flagstat -O json', async () => {
    const dir = stepDir('read_mapping');
    await runReadMapping(
      { r1: join(stepDir('cutadapt'), 'R1.trimmed.fastq.gz'), r2: join(stepDir('cutadapt'), 'R2.trimmed.fastq.gz'), stepDir: dir, genome: data.genome, referencesDir: join(tmp, 'references'), aligner: 'bwa-mem2', threads: 1 },
      () => undefined,
    );
    const json = JSON.parse(sh(['samtools', 'flagstat', '-O', 'json', join(dir, 'mapped.bam')])) as { 'QC-passed reads': Record<string, number> };
    const q = json['QC-passed reads'];
    for (const r of [loadStepResult(dir, 'flagstat'), loadStepResult(dir, 'builtin')]) {
      expect(metric(r, 'Reads (total)')).toBe(q.total);
      expect(metric(r, 'Mapped', undefined)).toBe(q.mapped);
      expect(metric(r, 'Mapped', '%')).toBe(q['mapped %']);
      expect(metric(r, 'Properly paired', '%')).toBe(q['properly paired %']);
      expect(r?.tables[0]?.rows.find((row) => row.category === 'read1')?.passed).toBe(q.read1);
    }
    expect(metric(loadStepResult(dir, 'builtin'), 'Aligner')).toBe(which('bwa-mem2') ? 'bwa-mem2' : 'bwa');
  });

  it('corrupt reports are errors naming the file', () => {
    const bad = join(runDir, 'bad');
    mkdirSync(join(bad, 'R1_fastqc'), { recursive: true });
    writeFileSync(join(bad, 'results.json'), '{"step": "x"');
    writeFileSync(join(bad, 'cutadapt.json'), '{"tag": "Cutadapt report", "read_counts": ');
    writeFileSync(join(bad, 'R1_fastqc', 'summary.txt'), 'MAYBE\tBasic Statistics\tR1.fastq.gz\n');
    writeFileSync(join(bad, 'flagstat.txt'), 'this is not flagstat\n');
    const err = (id: string) => {
      try {
        loadStepResult(bad, id);
      } catch (e) {
        return e as ApiError;
      }
      throw new Error(`${id}: no error`);
    };
    expect(err('builtin')).toMatchObject({ code: 'io_error', message: expect.stringContaining(`${join(bad, 'results.json')}: not valid JSON`) });
    expect(err('cutadapt')).toMatchObject({ code: 'io_error', message: expect.stringContaining(`${join(bad, 'cutadapt.json')}: not valid JSON`) });
    expect(err('fastqc')).toMatchObject({ code: 'io_error', message: expect.stringContaining(`${join(bad, 'R1_fastqc', 'summary.txt')}: line 1 is not`) });
    expect(err('flagstat')).toMatchObject({ code: 'io_error', message: expect.stringContaining(`${join(bad, 'flagstat.txt')}: not samtools flagstat output`) });
    // Valid JSON that is not a StepResult.
    writeFileSync(join(bad, 'results.json'), JSON.stringify({ step: 'x', jobId: null, metrics: [{ label: 'a' }], tables: [], plots: [], files: [] }));
    expect(err('builtin')).toMatchObject({ code: 'io_error', message: expect.stringMatching(/results\.json: not a valid step result \(metrics\.0\.value/) });
    // A zip that is not one.
    rmSync(join(bad, 'R1_fastqc'), { recursive: true });
    writeFileSync(join(bad, 'R1_fastqc.zip'), 'PK no');
    expect(err('fastqc')).toMatchObject({ code: 'io_error', message: expect.stringContaining(`${join(bad, 'R1_fastqc.zip')}: not a readable zip archive`) });
  });
});
