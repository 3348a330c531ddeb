import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunInput } from '../../shared/schemas/runs';
import { builtinStepsDir, loadStepCatalog, resolveStepInputs, type StepDefinition } from './index';

const catalog = loadStepCatalog({ builtin: builtinStepsDir(), user: null });
const step = (id: string) => catalog.steps.find((s) => s.id === id) as StepDefinition;
const input = (role: string, path: string): RunInput => ({ role, name: path.split('/').pop() ?? path, path, bytes: 1, sha256: 'x', mode: 'copy', originalPath: `/elsewhere/${path}` });

let runDir: string;
beforeAll(() => {
  runDir = mkdtempSync(join(tmpdir(), 'benchtop-inputs-'));
  mkdirSync(join(runDir, 'rawdata'));
  writeFileSync(join(runDir, 'rawdata', 'a_R1.fq.gz'), 'x');
  writeFileSync(join(runDir, 'rawdata', 'a_R2.fq.gz'), 'x');
});
afterAll(() => rmSync(runDir, { recursive: true, force: true }));

describe('resolveStepInputs', () => {
  const inputs = [input('R1', 'rawdata/a_R1.fq.gz'), input('R2', 'rawdata/a_R2.fq.gz')];

  it('takes the first source that exists: the run input, then a step output once it exists', () => {
    expect(resolveStepInputs(step('fastp'), { runDir, inputs })).toEqual({
      inputs: { r1: join(runDir, 'rawdata/a_R1.fq.gz'), r2: join(runDir, 'rawdata/a_R2.fq.gz') },
      problems: [],
    });
    mkdirSync(join(runDir, 'cutadapt'), { recursive: true });
    writeFileSync(join(runDir, 'cutadapt', 'R1.trimmed.fastq.gz'), 'x');
    writeFileSync(join(runDir, 'cutadapt', 'R2.trimmed.fastq.gz'), 'x');
    expect(resolveStepInputs(step('fastp'), { runDir, inputs }).inputs).toEqual({
      r1: join(runDir, 'cutadapt/R1.trimmed.fastq.gz'),
      r2: join(runDir, 'cutadapt/R2.trimmed.fastq.gz'),
    });
    rmSync(join(runDir, 'cutadapt'), { recursive: true });
  });

  it('a required input with no source is a problem naming it and what was looked for', () => {
    const r = resolveStepInputs(step('fastp'), { runDir, inputs: [inputs[0]!] });
    expect(r.inputs).toEqual({ r1: join(runDir, 'rawdata/a_R1.fq.gz') });
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ kind: 'input', field: 'r2' });
    expect(r.problems[0]?.message).toMatch(/^Read 2 \(r2\): no file found — looked for cutadapt's output r2 \(cutadapt\/R2\.trimmed\.fastq\.gz\), then .*the run's R2 input \(the run has R1\)$/);
  });

  it("qc's inputs are required by qc_stage", () => {
    const before = resolveStepInputs(step('qc'), { runDir, inputs });
    expect(before.problems).toEqual([]);
    const after = resolveStepInputs(step('qc'), { runDir, inputs, params: { qc_stage: 'after' } });
    expect(after.problems.map((p) => p.field)).toEqual(['trimmed_r1', 'trimmed_r2']);
    expect(after.problems[0]?.message).toMatch(/cutadapt's output r1 \(cutadapt\/R1\.trimmed\.fastq\.gz\)/);
    const noRaw = resolveStepInputs(step('qc'), { runDir, inputs: [], params: { qc_stage: 'both' } });
    expect(noRaw.problems.map((p) => p.field)).toEqual(['r1', 'r2', 'trimmed_r1', 'trimmed_r2']);
  });

  it('a run input whose path leaves the run folder is not used', () => {
    writeFileSync(join(runDir, '..', 'outside_R1.fq'), 'x');
    try {
      const r = resolveStepInputs(step('cutadapt'), { runDir, inputs: [input('R1', '../outside_R1.fq'), inputs[1]!] });
      expect(r.inputs.r1).toBeUndefined();
      expect(r.problems.map((p) => p.field)).toEqual(['r1']);
    } finally {
      rmSync(join(runDir, '..', 'outside_R1.fq'), { force: true });
    }
  });
});
