import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkStepTools } from '../tools/probe';
import { loadDefinitionFile } from './loader';
import { benchtopCliPrefix, packageRoot, parseParamText, validateStepParams, type StepDefinition } from './index';

const step = {
  id: 'paths',
  parameters: {
    type: 'object',
    additionalProperties: false,
    properties: {
      genome: { type: 'string', format: 'file-path', 'x-file': 'fasta' },
      index_dir: { type: 'string', format: 'dir-path' },
      name: { type: 'string', minLength: 1, maxLength: 5 },
      rate: { type: 'number', minimum: 0, maximum: 1, default: 0.5 },
      n: { type: 'integer', exclusiveMinimum: 0, multipleOf: 2 },
      on: { type: 'boolean', default: true },
    },
  },
} as unknown as StepDefinition;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'benchtop-params-'));
  writeFileSync(join(dir, 'genome.fa'), '>chr1\nACGT\n');
  writeFileSync(join(dir, 'reads.fa'), '@r1\nACGT\n+\nIIII\n');
  writeFileSync(join(dir, 'genome.fa.gz'), gzipSync('>chr1\nACGT\n'));
  writeFileSync(join(dir, 'notes.fa'), 'my genome\n');
  mkdirSync(join(dir, 'index'));
  writeFileSync(join(dir, 'secret.fa'), 'x');
  chmodSync(join(dir, 'secret.fa'), 0o000);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const problems = (params: Record<string, unknown>) => {
  const r = validateStepParams(step, params);
  return r.ok ? [] : r.problems.map((p) => p.message);
};

describe('validateStepParams', () => {
  it("checks the definition's cross-field rules, naming the field by its title", () => {
    const site = loadDefinitionFile(join(packageRoot(), 'resources', 'steps', 'site_analysis.json'), 'builtin') as StepDefinition;
    const bad = validateStepParams(site, { promoter_left: 5000, enhancer_left: 1000 });
    expect(bad.ok).toBe(false);
    expect(bad.ok ? [] : bad.problems).toEqual([
      {
        kind: 'param',
        field: 'enhancer_left',
        message: "Enhancer: bases upstream of the TSS: must be at least the promoter's bases upstream of the TSS (the enhancer region lies beyond the promoter) (now 1000, against 5000)",
      },
    ]);
    expect(validateStepParams(site, { promoter_left: 5000, enhancer_left: 5000 }).ok).toBe(true);
    // The defaults take part: enhancer_left's default (50000) is below a promoter_left of 60000.
    expect(validateStepParams(site, { promoter_left: 60000 }).ok).toBe(false);
  });

  it('fills in defaults; null (and "" for a path) means not set', () => {
    expect(validateStepParams(step, { rate: null, genome: '', n: 4 })).toEqual({ ok: true, params: { rate: 0.5, on: true, n: 4 } });
  });

  it('file-path and dir-path parameters must exist on disk as the right kind', () => {
    expect(validateStepParams(step, { genome: join(dir, 'genome.fa'), index_dir: join(dir, 'index') }).ok).toBe(true);
    expect(problems({ genome: join(dir, 'missing.fa') })).toEqual([`genome: ${join(dir, 'missing.fa')} does not exist`]);
    expect(problems({ genome: join(dir, 'index') })).toEqual([`genome: ${join(dir, 'index')} is not a file`]);
    expect(problems({ index_dir: join(dir, 'genome.fa') })).toEqual([`index_dir: ${join(dir, 'genome.fa')} is not a folder`]);
    expect(problems({ genome: 'genome.fa' })).toEqual(['genome: must be the absolute path of a file, not "genome.fa"']);
    if (process.getuid?.() !== 0) expect(problems({ genome: join(dir, 'secret.fa') })).toEqual([`genome: ${join(dir, 'secret.fa')} is not readable`]);
  });

  it('a file-path with x-file is sniffed: a FASTQ given as the FASTA genome is refused, naming the file', () => {
    expect(validateStepParams(step, { genome: join(dir, 'genome.fa.gz') }).ok).toBe(true);
    expect(problems({ genome: join(dir, 'reads.fa') })).toEqual(['genome: reads.fa looks like FASTQ (its first line starts with @), not FASTA']);
    expect(problems({ genome: join(dir, 'notes.fa') })).toEqual(['genome: notes.fa is not FASTA (its first line is "my genome")']);
  });

  it('every problem, each naming its field in plain words', () => {
    expect(problems({ name: '', rate: 2, n: 3, on: 'yes', genome: 5 }).sort()).toEqual(
      ['genome: must be text', 'n: must be a multiple of 2', 'name: must not be empty', 'on: must be true or false', 'rate: must be ≤ 1'].sort(),
    );
    expect(problems({ name: 'toolong', n: 0 }).sort()).toEqual(['n: must be > 0', 'name: must be at most 5 characters long']);
  });
});

describe('parseParamText', () => {
  it('types command-line text by the schema', () => {
    expect(parseParamText(step, 'rate', '0.25')).toBe(0.25);
    expect(parseParamText(step, 'on', 'false')).toBe(false);
    expect(parseParamText(step, 'name', '42')).toBe('42');
    expect(parseParamText(step, 'n', '')).toBeNull();
    expect(() => parseParamText(step, 'rate', 'abc')).toThrow('rate: must be a number, not "abc"');
    expect(() => parseParamText(step, 'on', 'maybe')).toThrow(/on: must be true or false/);
    expect(() => parseParamText(step, 'nope', '1')).toThrow(/nope: is not a parameter of step paths/);
  });
});

describe('helpers for the launch', () => {
  it('checkStepTools: paths for {tool.X}, and a problem for a missing tool', async () => {
    const r = await checkStepTools({
      id: 'x',
      tools: [
        { name: 'cutadapt', versionArgs: ['--version'], debian: 'cutadapt', conda: 'bioconda::cutadapt' },
        { name: 'benchtop-missing-tool', versionArgs: [], debian: 'missing-deb', conda: null },
      ],
    });
    expect(r.tools.cutadapt).toMatch(/\/cutadapt$/);
    expect(r.problems).toEqual([{ kind: 'tool', field: 'benchtop-missing-tool', message: expect.stringMatching(/^benchtop-missing-tool: No executable named .* To install it: apt install missing-deb\.$/) }]);
  });

  it('benchtopCliPrefix runs bin/benchtop.js with this Node', () => {
    expect(benchtopCliPrefix()).toEqual([process.execPath, join(packageRoot(), 'bin', 'benchtop.js')]);
  });
});
