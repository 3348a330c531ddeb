import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../tests/cli';
import { tempDirs } from '../../tests/tempWorkspace';
import { parseParams, parseParamValue } from '../cli/commands/runs';

const BUILT = join(import.meta.dirname, '../../dist/cli/benchtop.js');

const dirs = tempDirs('benchtop-runs-cli-');
const data = join(dirs.root, 'data');

/** The real `benchtop` command from the build, with a private config dir and workspace. */
function benchtop(args: string[]) {
  return runCli(args, dirs, { cwd: data });
}

function ok(args: string[]): string {
  const r = benchtop(args);
  expect(r.stderr, args.join(' ')).toBe('');
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

function json<T = Record<string, unknown>>(args: string[]): T {
  return JSON.parse(ok([...args, '--json'])) as T;
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

interface Detail {
  id: string;
  name: string;
  dir: string;
  cleanedAt: string | null;
  inputs: { role: string; path: string; bytes: number; sha256: string; mode: string }[];
  params: Record<string, Record<string, unknown>>;
}

describe('--param values', () => {
  it('parses numbers and true/false, else keeps the text', () => {
    expect(['1', '-0.5', '1e3', '.5', 'true', 'false', 'hg38', '0x10', 'Infinity', 'NaN', '', 'TRUE', '1.2.3'].map(parseParamValue)).toEqual([
      1, -0.5, 1000, 0.5, true, false, 'hg38', '0x10', 'Infinity', 'NaN', '', 'TRUE', '1.2.3',
    ]);
    expect(parseParams(['cutadapt.r1_seq=A=B', 'qc.qc_stage=both', 'cutadapt.r1_error_rate=0.1'])).toEqual({
      cutadapt: { r1_seq: 'A=B', r1_error_rate: 0.1 },
      qc: { qc_stage: 'both' },
    });
    expect(() => parseParams(['genome=hg38'])).toThrow(/STEP.NAME=VALUE/);
  });
});

describe('benchtop runs (built CLI)', () => {
  beforeAll(() => {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`node scripts/build.mjs\` first (npm test does).`);
    mkdirSync(data, { recursive: true });
    writeFileSync(join(data, 'S1_R1.fastq'), '@a\nACGTACGT\n+\nIIIIIIII\n'.repeat(100));
    writeFileSync(join(data, 'S1_R2.fastq'), '@a\nTTGCATGC\n+\nIIIIIIII\n'.repeat(80));
  });
  afterAll(() => dirs.cleanup());

  it('create, list, show, export, import, clean and delete, end to end', () => {
    const created = json<Detail>([
      'runs', 'create', '--name', 'CLI run', '--description', 'from the shell', '--created-by', 'ada',
      '--input', 'R1=S1_R1.fastq', '--input', `R2=${join(data, 'S1_R2.fastq')}`,
      '--param', 'cutadapt.r1_seq=ACGT; touch pwned', '--param', 'cutadapt.r1_error_rate=0.2',
      '--param', 'cutadapt.r1_anchored=true', '--param', 'read_mapping.genome=hg38', '--param', 'site_analysis.promoter_left=4000',
    ]);
    expect(created.name).toBe('CLI run');
    expect(created.params).toEqual({
      cutadapt: { r1_seq: 'ACGT; touch pwned', r1_error_rate: 0.2, r1_anchored: true },
      read_mapping: { genome: 'hg38' },
      site_analysis: { promoter_left: 4000 },
    });
    expect(existsSync(join(data, 'pwned'))).toBe(false);
    const r1 = created.inputs.find((i) => i.role === 'R1')!;
    expect(r1).toMatchObject({ path: 'rawdata/S1_R1.fastq', mode: 'copy', sha256: sha256(join(data, 'S1_R1.fastq')), bytes: lstatSync(join(data, 'S1_R1.fastq')).size });
    expect(lstatSync(join(created.dir, 'rawdata', 'S1_R2.fastq')).isFile()).toBe(true);

    const db = new Database(join(dirs.workspace, 'benchtop.db'), { readonly: true });
    expect(db.prepare("SELECT id FROM runs WHERE genome = 'hg38'").pluck().all()).toEqual([created.id]);
    expect(db.prepare("SELECT run_id FROM run_params WHERE name = 'genome' AND value = 'hg38'").pluck().all()).toEqual([created.id]);
    db.close();

    const linked = json<Detail>(['runs', 'create', '--name', 'Linked', '--input', 'R1=S1_R1.fastq', '--link']);
    expect(linked.inputs[0]).toMatchObject({ mode: 'link' });
    expect(lstatSync(join(linked.dir, linked.inputs[0]!.path)).isSymbolicLink()).toBe(true);

    const listed = json<{ runs: { id: string }[]; total: number }>(['runs', 'list']);
    expect(listed.total).toBe(2);
    expect(json<{ runs: { id: string }[] }>(['runs', 'list', '--search', 'shell']).runs.map((r) => r.id)).toEqual([created.id]);
    expect(json<{ total: number }>(['runs', 'list', '--status', 'failed']).total).toBe(0);
    expect(ok(['runs', 'list'])).toContain('CLI run');

    const human = ok(['runs', 'show', created.id]);
    expect(human).toContain('Inputs (2)');
    expect(human).toContain('r1_seq = "ACGT; touch pwned"');
    expect(human).toContain('no step has run yet');
    expect(json<Detail>(['runs', 'show', created.id]).id).toBe(created.id);

    const exported = JSON.parse(ok(['runs', 'export', created.id]));
    expect(exported).toMatchObject({ format: 'benchtop-run', name: 'CLI run', params: created.params });
    const file = join(dirs.root, 'run.json');
    ok(['runs', 'export', created.id, '--out', file]);
    expect(JSON.parse(readFileSync(file, 'utf8')).params).toEqual(created.params);

    const imported = json<Detail>(['runs', 'import', file, '--input', 'R1=S1_R1.fastq']);
    expect(imported.id).not.toBe(created.id);
    expect(imported.name).toBe('CLI run');
    expect(imported.params).toEqual(created.params);
    expect(imported.inputs.map((i) => i.role)).toEqual(['R1']);
    const mismatch = benchtop(['runs', 'import', file, '--input', 'R1=S1_R2.fastq']);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toContain(`${file}: Input R1: its sha256`);
    // Every error of an import names the configuration's file.
    const config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const noName = join(dirs.root, 'no-name.json');
    writeFileSync(noName, JSON.stringify({ ...config, name: undefined, params: { cutadapt: { r1_seq: [1] } } }));
    const badConfig = benchtop(['runs', 'import', noName]);
    expect(badConfig.code).toBe(1);
    expect(badConfig.stderr).toMatch(new RegExp(`${noName}: .*name: `));
    expect(badConfig.stderr).toContain('params.cutadapt.r1_seq');
    const twice = join(dirs.root, 'twice.json');
    writeFileSync(twice, readFileSync(file, 'utf8').replace('"name": "CLI run",', '"name": "CLI run",\n  "name": "Other run",'));
    expect(benchtop(['runs', 'import', twice]).stderr).toMatch(new RegExp(`${twice}: duplicate key "name" at \\$ \\(line \\d+\\)`));
    const wrongRole = benchtop(['runs', 'import', file, '--input', 'R9=S1_R1.fastq']);
    expect(wrongRole.stderr).toContain(`${file}: Input role R9 is not in the exported run`);

    const cleaned = json<{ deletedFiles: number; deletedBytes: number }>(['runs', 'clean', created.id]);
    expect(cleaned).toEqual({ deletedFiles: 2, deletedBytes: lstatSync(join(data, 'S1_R1.fastq')).size + lstatSync(join(data, 'S1_R2.fastq')).size });
    expect(readdirSync(created.dir)).toEqual([]);
    expect(json<Detail>(['runs', 'show', created.id]).cleanedAt).not.toBeNull();
    expect(json<{ total: number }>(['runs', 'list']).total).toBe(3);

    const noYes = benchtop(['runs', 'delete', created.id]);
    expect(noYes.code).toBe(1);
    expect(noYes.stderr).toContain('--yes');
    expect(json<{ id: string }>(['runs', 'delete', created.id, '--yes']).id).toBe(created.id);
    expect(benchtop(['runs', 'show', created.id]).code).toBe(1);
    expect(json<{ total: number }>(['runs', 'list']).total).toBe(2);
    const after = new Database(join(dirs.workspace, 'benchtop.db'), { readonly: true });
    expect(after.prepare('SELECT action FROM audit_log WHERE entity_id = ? ORDER BY id').pluck().all(created.id)).toEqual(['runs.create', 'runs.input_outside_workspace', 'runs.input_outside_workspace', 'runs.clean', 'runs.delete']);
    after.close();
  });

  it('reports bad arguments', () => {
    expect(benchtop(['runs', 'create', '--name', 'x', '--param', 'nodot=1']).stderr).toContain('STEP.NAME=VALUE');
    expect(benchtop(['runs', 'create', '--name', 'x', '--input', 'R1']).stderr).toContain('ROLE=PATH');
    const missing = benchtop(['runs', 'create', '--name', 'x', '--input', 'R1=nope.fastq']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(join(data, 'nope.fastq'));
    expect(benchtop(['runs', 'show']).code).not.toBe(0);
  });
});
