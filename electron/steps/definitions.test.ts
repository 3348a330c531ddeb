import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunInput } from '../../shared/schemas/runs';
import { probeTools, toolRequirements } from '../tools/probe';
import { buildArgv, builtinStepsDir, loadStepCatalog, resolveStepInputs, validateStepParams, type StepDefinition } from './index';

const catalog = loadStepCatalog({ builtin: builtinStepsDir(), user: null });
const step = (id: string): StepDefinition => {
  const s = catalog.steps.find((x) => x.id === id);
  if (!s) throw new Error(`step ${id} did not load: ${JSON.stringify(catalog.errors)}`);
  return s;
};
const ctx = (params: Record<string, unknown>, inputs: Record<string, string> = {}) => ({
  params,
  inputs,
  stepDir: '/run/S',
  runDir: '/run',
  tools: { cutadapt: '/bin/cutadapt', fastp: '/bin/fastp', fastqc: '/bin/fastqc' },
  benchtop: ['/node', '/bt.js'],
  threads: 4,
});
const valid = (s: StepDefinition, params: Record<string, unknown>) => {
  const v = validateStepParams(s, params);
  if (!v.ok) throw new Error(v.problems.map((p) => p.message).join('; '));
  return v.params;
};

describe('the built-in definitions', () => {
  it('qc, cutadapt and fastp load with no errors about them', () => {
    const mine = catalog.errors.filter((e) => /(qc|cutadapt|fastp|step\.schema)\.json$/.test(e.file));
    expect(mine).toEqual([]);
    for (const id of ['qc', 'cutadapt', 'fastp']) expect(step(id).source).toBe('builtin');
    expect(step('cutadapt').results).toBe('cutadapt');
    expect(step('fastp').results).toBe('fastp');
    expect(step('qc').results).toBe('fastqc');
  });

  it('every built-in definition in resources/steps loads', () => {
    expect(catalog.errors).toEqual([]);
    for (const s of catalog.steps) expect(Object.values(s.sourcePaths), s.id).not.toContain(null);
  });

  it("cutadapt: seed 001's defaults", () => {
    expect(valid(step('cutadapt'), { r1_seq: 'ACGT' })).toEqual({
      r1_seq: 'ACGT',
      r1_error_rate: 0.3,
      r1_trim_leading_trailing: 0,
      r1_anchored: false,
      r1_min_overlap: 5,
      r1_pair_filter: 'both',
      r1_minimum_length_of_read: 30,
      r2_error_rate: 0.1,
      r2_trim_leading_trailing: 0,
      r2_anchored: false,
      r2_min_overlap: 10,
      r2_pair_filter: 'both',
      r2_minimum_length_of_read: 30,
    });
  });

  it('cutadapt argv: defaults, anchored, leading-and-trailing, no R2 linker', () => {
    const s = step('cutadapt');
    const io = { r1: '/run/rawdata/a_R1.fastq.gz', r2: '/run/rawdata/a_R2.fastq.gz' };
    const tail = ['--pair-filter', 'both', '--minimum-length', '30:30', '--cores', '4', '--json', '/run/S/cutadapt.json', '-o', '/run/S/R1.trimmed.fastq.gz', '-p', '/run/S/R2.trimmed.fastq.gz', io.r1, io.r2];
    expect(buildArgv(s, ctx(valid(s, { r1_seq: 'ATCCCTCAG', r2_seq: 'GACTGCG' }), io))).toEqual([
      '/bin/cutadapt', '-g', 'ATCCCTCAG;e=0.3;o=5', '-G', 'GACTGCG;e=0.1;o=10', ...tail,
    ]);
    expect(buildArgv(s, ctx(valid(s, { r1_seq: 'ATCCCTCAG', r1_anchored: true, r2_seq: 'GACTGCG', r2_trim_leading_trailing: 1 }), io))).toEqual([
      '/bin/cutadapt', '-g', '^ATCCCTCAG;e=0.3', '-B', 'GACTGCG;e=0.1;o=10', ...tail,
    ]);
    const p = valid(s, { r1_seq: 'acgtn', r1_trim_leading_trailing: 1, r1_error_rate: 0.15, r1_min_overlap: 3, r1_pair_filter: 'any', r1_minimum_length_of_read: 20, r2_minimum_length_of_read: 25 });
    expect(buildArgv(s, ctx(p, io))).toEqual([
      '/bin/cutadapt', '-b', 'acgtn;e=0.15;o=3', '--pair-filter', 'any', '--minimum-length', '20:25', '--cores', '4', '--json', '/run/S/cutadapt.json', '-o', '/run/S/R1.trimmed.fastq.gz', '-p', '/run/S/R2.trimmed.fastq.gz', io.r1, io.r2,
    ]);
  });

  it('fastp argv: defaults and switches', () => {
    const s = step('fastp');
    const io = { r1: '/run/cutadapt/R1.trimmed.fastq.gz', r2: '/run/cutadapt/R2.trimmed.fastq.gz' };
    const head = ['/bin/fastp', '--in1', io.r1, '--in2', io.r2, '--out1', '/run/S/R1.fastp.fastq.gz', '--out2', '/run/S/R2.fastp.fastq.gz'];
    const reports = ['--thread', '4', '--json', '/run/S/fastp.json', '--html', '/run/S/fastp.html', '--report_title', 'fastp report'];
    expect(buildArgv(s, ctx(valid(s, {}), io))).toEqual([
      ...head, '--qualified_quality_phred', '15', '--unqualified_percent_limit', '40', '--n_base_limit', '5', '--length_required', '30',
      '--detect_adapter_for_pe', '--cut_window_size', '4', '--cut_mean_quality', '20', ...reports,
    ]);
    const p = valid(s, { detect_adapter_for_pe: false, cut_front: true, cut_tail: true, cut_mean_quality: 25, length_required: 50, trim_poly_g: true });
    expect(buildArgv(s, ctx(p, io))).toEqual([
      ...head, '--qualified_quality_phred', '15', '--unqualified_percent_limit', '40', '--n_base_limit', '5', '--length_required', '50',
      '--cut_front', '--cut_tail', '--cut_window_size', '4', '--cut_mean_quality', '25', '--trim_poly_g', ...reports,
    ]);
  });

  it('qc argv follows qc_stage', () => {
    const s = step('qc');
    const io = { r1: '/run/rawdata/R1.fq.gz', r2: '/run/rawdata/R2.fq.gz', trimmed_r1: '/run/cutadapt/R1.trimmed.fastq.gz', trimmed_r2: '/run/cutadapt/R2.trimmed.fastq.gz' };
    const head = ['/bin/fastqc', '--outdir', '/run/S', '--threads', '4', '--extract'];
    expect(valid(s, {})).toEqual({ qc_stage: 'before' });
    expect(buildArgv(s, ctx(valid(s, {}), io))).toEqual([...head, io.r1, io.r2]);
    expect(buildArgv(s, ctx(valid(s, { qc_stage: 'after' }), io))).toEqual([...head, io.trimmed_r1, io.trimmed_r2]);
    expect(buildArgv(s, ctx(valid(s, { qc_stage: 'both' }), io))).toEqual([...head, io.r1, io.r2, io.trimmed_r1, io.trimmed_r2]);
    // after, without cutadapt's outputs: the build refuses rather than running FastQC on nothing
    expect(() => buildArgv(s, ctx({ qc_stage: 'after' }, { r1: io.r1, r2: io.r2 }))).toThrow(/\{inputs\.trimmed_r1\} was not resolved/);
  });

  it('bounds, enums, types and patterns are enforced with the field named', () => {
    const s = step('cutadapt');
    const r = validateStepParams(s, {
      r1_seq: 'ACGU',
      r1_error_rate: 1.5,
      r2_error_rate: -0.1,
      r1_min_overlap: 2.5,
      r1_pair_filter: 'either',
      r1_anchored: 'yes',
      r1_trim_leading_trailing: 2,
      r2_minimum_length_of_read: '30',
      bogus: 1,
    });
    expect(r.ok).toBe(false);
    const messages = r.ok ? [] : r.problems.map((p) => p.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        'r1_seq: must contain only the letters A, C, G, T and N',
        'r1_error_rate: must be < 1',
        'r2_error_rate: must be ≥ 0',
        'r1_min_overlap: must be a whole number',
        'r1_pair_filter: must be one of "any", "both", "first"',
        'r1_anchored: must be true or false',
        'r1_trim_leading_trailing: must be one of 0, 1',
        'r2_minimum_length_of_read: must be a whole number',
        'bogus: is not a known field',
      ]),
    );
    if (!r.ok) for (const p of r.problems) expect(p).toMatchObject({ kind: 'param', field: p.message.split(':')[0] });
    const missing = validateStepParams(s, {});
    expect(missing.ok ? [] : missing.problems).toEqual([{ kind: 'param', field: 'r1_seq', message: 'r1_seq: is required' }]);
    const fastp = validateStepParams(step('fastp'), { cut_mean_quality: 37, qualified_quality_phred: -1 });
    expect(fastp.ok ? [] : fastp.problems.map((p) => p.message).sort()).toEqual(['cut_mean_quality: must be ≤ 36', 'qualified_quality_phred: must be ≥ 0']);
    const qc = validateStepParams(step('qc'), { qc_stage: 'later' });
    expect(qc.ok ? [] : qc.problems.map((p) => p.message)).toEqual(['qc_stage: must be one of "before", "after", "both"']);
  });

  it('hostile adapter sequences are rejected by the pattern', () => {
    const s = step('cutadapt');
    for (const hostile of ['ACGT; touch pwned', '$(id)', 'ACGT`id`', 'ACGT\nrm -rf /', 'ACGT;e=0.9']) {
      const r = validateStepParams(s, { r1_seq: hostile });
      expect(r.ok, hostile).toBe(false);
      expect(r.ok ? [] : r.problems.map((p) => p.field)).toEqual(['r1_seq']);
      const r2 = validateStepParams(s, { r1_seq: 'ACGT', r2_seq: hostile });
      expect(r2.ok ? [] : r2.problems.map((p) => p.field)).toEqual(['r2_seq']);
    }
  });
});

// ——— the real tools on a tiny paired FASTQ ———

const P1 = 'ATCCCTCAGACCCTTTTAGTCAGTGTGGAAAATCTC';
const P2 = 'GACTGCGTATCAGT';

function randomSeq(n: number, rnd: () => number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += 'ACGT'[Math.floor(rnd() * 4)];
  return s;
}

/** 200 pairs: R1 = primer + 80 genomic bases, R2 = linker + 80 bases; every 10th pair has no primer (and as many bases). */
export function writePairedFastq(dir: string, pairs = 200): { r1: string; r2: string } {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const r1: string[] = [];
  const r2: string[] = [];
  for (let i = 0; i < pairs; i++) {
    const s1 = i % 10 === 9 ? randomSeq(P1.length + 80, rnd) : P1 + randomSeq(80, rnd);
    const s2 = P2 + randomSeq(80, rnd);
    r1.push(`@pair${i} 1:N:0:1`, s1, '+', 'I'.repeat(s1.length));
    r2.push(`@pair${i} 2:N:0:1`, s2, '+', 'I'.repeat(s2.length));
  }
  const f1 = join(dir, 'sample_R1.fastq.gz');
  const f2 = join(dir, 'sample_R2.fastq.gz');
  writeFileSync(f1, gzipSync(`${r1.join('\n')}\n`));
  writeFileSync(f2, gzipSync(`${r2.join('\n')}\n`));
  return { r1: f1, r2: f2 };
}

function run(argv: string[], cwd: string): Promise<{ code: number; output: string }> {
  const [cmd, ...args] = argv;
  return new Promise((resolve) => {
    execFile(cmd as string, args, { cwd, timeout: 120_000, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
      resolve({ code, output: `${stdout}\n${stderr}` });
    });
  });
}

describe('the argv runs the real tools', () => {
  let root: string;
  let runDir: string;
  let runInputs: RunInput[];
  let tools: Record<string, string>;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'benchtop-steps-'));
    runDir = join(root, 'runs', 'run1');
    mkdirSync(join(runDir, 'rawdata'), { recursive: true });
    const fq = writePairedFastq(join(runDir, 'rawdata'));
    runInputs = [
      { role: 'R1', name: 'sample_R1.fastq.gz', path: 'rawdata/sample_R1.fastq.gz', bytes: statSync(fq.r1).size, sha256: 'x', mode: 'copy', originalPath: fq.r1 },
      { role: 'R2', name: 'sample_R2.fastq.gz', path: 'rawdata/sample_R2.fastq.gz', bytes: statSync(fq.r2).size, sha256: 'x', mode: 'copy', originalPath: fq.r2 },
    ];
    const infos = await probeTools(toolRequirements(catalog.steps.filter((s) => ['qc', 'cutadapt', 'fastp'].includes(s.id))), {});
    tools = Object.fromEntries(infos.filter((t) => t.found && t.path).map((t) => [t.name, t.path as string]));
    expect(Object.keys(tools).sort()).toEqual(['cutadapt', 'fastp', 'fastqc']);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  async function runStep(id: string, params: Record<string, unknown>) {
    const s = step(id);
    const p = valid(s, params);
    const resolved = resolveStepInputs(s, { runDir, inputs: runInputs, params: p });
    expect(resolved.problems).toEqual([]);
    const stepDir = join(runDir, id);
    mkdirSync(stepDir, { recursive: true });
    const argv = buildArgv(s, { params: p, inputs: resolved.inputs, stepDir, runDir, tools, benchtop: [process.execPath, '/nonexistent/benchtop.js'], threads: 2 });
    const result = await run(argv, stepDir);
    expect(result.code, `${argv.join(' ')}\n${result.output}`).toBe(0);
    return { argv, inputs: resolved.inputs, stepDir, output: result.output };
  }

  it('cutadapt trims the primer and linker of the raw reads', async () => {
    const { inputs, stepDir } = await runStep('cutadapt', { r1_seq: P1, r2_seq: P2 });
    expect(inputs.r1).toBe(join(runDir, 'rawdata/sample_R1.fastq.gz'));
    for (const f of ['R1.trimmed.fastq.gz', 'R2.trimmed.fastq.gz', 'cutadapt.json']) expect(existsSync(join(stepDir, f)), f).toBe(true);
    const report = JSON.parse(readFileSync(join(stepDir, 'cutadapt.json'), 'utf8')) as { read_counts: { input: number; read1_with_adapter: number; read2_with_adapter: number; output: number } };
    expect(report.read_counts.input).toBe(200);
    // the 180 primers, and maybe a chance 5-base overlap with 30 % errors among the others
    expect(report.read_counts.read1_with_adapter).toBeGreaterThanOrEqual(180);
    expect(report.read_counts.read1_with_adapter).toBeLessThan(200);
    expect(report.read_counts.read2_with_adapter).toBe(200);
    expect(report.read_counts.output).toBe(200);
  });

  it('cutadapt with the anchored primer and a pair filter', async () => {
    const { stepDir } = await runStep('cutadapt', { r1_seq: P1, r1_anchored: true, r2_seq: P2, r2_trim_leading_trailing: 1, r1_pair_filter: 'any', r1_minimum_length_of_read: 81 });
    const report = JSON.parse(readFileSync(join(stepDir, 'cutadapt.json'), 'utf8')) as { read_counts: { input: number; output: number; read1_with_adapter: number } };
    expect(report.read_counts.read1_with_adapter).toBe(180);
    // read 1 is 80 bases once trimmed: with a minimum of 81 and "any", the 180 trimmed pairs go; the 20 untrimmed stay
    expect(report.read_counts.output).toBe(20);
    // put the default run back for the steps below
    await runStep('cutadapt', { r1_seq: P1, r2_seq: P2 });
  });

  it("fastp processes cutadapt's output", async () => {
    const { inputs, stepDir } = await runStep('fastp', { cut_front: true, cut_tail: true });
    expect(inputs.r1).toBe(join(runDir, 'cutadapt/R1.trimmed.fastq.gz'));
    for (const f of ['R1.fastp.fastq.gz', 'R2.fastp.fastq.gz', 'fastp.json', 'fastp.html']) expect(existsSync(join(stepDir, f)), f).toBe(true);
    const report = JSON.parse(readFileSync(join(stepDir, 'fastp.json'), 'utf8')) as { summary: { before_filtering: { total_reads: number } } };
    expect(report.summary.before_filtering.total_reads).toBe(400);
  });

  it('FastQC checks the reads before and after trimming', async () => {
    const { stepDir } = await runStep('qc', { qc_stage: 'both' });
    for (const name of ['sample_R1', 'sample_R2', 'R1.trimmed', 'R2.trimmed']) {
      expect(existsSync(join(stepDir, `${name}_fastqc.html`)), name).toBe(true);
      expect(readFileSync(join(stepDir, `${name}_fastqc`, 'summary.txt'), 'utf8')).toMatch(/^(PASS|WARN|FAIL)\tBasic Statistics/m);
    }
  });
});
