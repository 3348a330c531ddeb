import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBam } from '../../tests/fixtures/bam';
import { writeLegacyDb } from '../../tests/fixtures/legacy';
import { finalSummary, generateBadSummaryRuns, generateMinknowTree } from '../demo/data/minknow';
import type { ExperimentDetail } from '../../shared/schemas/experiments';
import { runCli } from '../../tests/cli';
import { tempDirs } from '../../tests/tempWorkspace';

const BUILT = join(import.meta.dirname, '../../dist/cli/benchtop.js');
const dirs = tempDirs('benchtop-experiments-cli-');
const data = join(dirs.root, 'data');

function benchtop(args: string[]) {
  return runCli(args, dirs, { cwd: data });
}

function ok(args: string[]): string {
  const r = benchtop(args);
  expect(r.stderr, args.join(' ')).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

function json<T>(args: string[]): T {
  return JSON.parse(ok([...args, '--json'])) as T;
}

function centralCount(table: string): number {
  const db = new Database(join(dirs.workspace, 'benchtop.db'), { readonly: true });
  try {
    return db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
  } finally {
    db.close();
  }
}

describe('benchtop discover, experiments, basecalls, pending-sma (built CLI)', () => {
  let tree: ReturnType<typeof generateMinknowTree>;
  beforeAll(() => {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`npm run build\` first (npm test does).`);
    tree = generateMinknowTree(join(data, 'minknow'));
  });
  afterAll(() => dirs.cleanup());

  it('discovers, lists, shows; a second discover adds nothing', () => {
    const out = ok(['discover', 'minknow']);
    expect(out).toMatch(/4 MinKNOW runs \(4 new, 0 changed, 0 unchanged\)/);
    expect(out).toMatch(/PAW22222 .*INCOMPLETE TRANSFER/);
    expect(ok(['discover', 'minknow'])).toMatch(/4 MinKNOW runs \(0 new, 0 changed, 4 unchanged\)/);
    const again = json<{ added: number; updated: number; unchanged: number; experiments: { expId: string }[] }>(['discover', 'minknow']);
    expect(again).toMatchObject({ added: 0, updated: 0, unchanged: 4 });
    expect(centralCount('experiments')).toBe(4);
    const list = json<{ expId: string; sequencingKit: string | null }[]>(['experiments', 'list']);
    expect(list.map((e) => e.sequencingKit).sort()).toEqual(['SQK-LSK114', 'SQK-LSK114', 'SQK-NBD114.24', null]); // the interrupted run has no final_summary
    expect(ok(['experiments', 'list', '--search', 'barcoded'])).toContain('PAW44444');
    const shown = ok(['experiments', 'show', '20240118_1100_P2S-01234-A_PAW44444_d4e5f6a7']);
    expect(shown).toMatch(/POD5 files: +6 of 6 expected/);
    expect(shown).toContain('FLO-PRO114M');
    const missing = benchtop(['discover', 'nowhere']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`There is no folder ${join(data, 'nowhere')}`);
  });

  it('registers BAMs and lists the ones ready for SMA analysis', () => {
    const expId = '20240115_1423_P2S-01234-A_PAW12345_a1b2c3d4';
    expect(ok(['pending-sma'])).toContain('No basecall runs pending SMA analysis.');
    writeBam(join(data, `${expId}_sup_v5.0.0_trim1_1.bam`));
    const out = ok(['basecalls', 'register', `${expId}_sup_v5.0.0_trim1_1.bam`]);
    expect(out).toContain(`Registered basecall run ${expId}_sup_v5.0.0_trim1_1`);
    expect(out).toContain('mods 1 (6mA)');
    writeBam(join(data, 'plain.bam'));
    const byHand = json<{ runId: string; bamPath: string }>(['basecalls', 'register', 'plain.bam', '--exp', expId, '--tier', 'hac', '--version', 'v4.3.0', '--trim', '0', '--mods', '0']);
    expect(byHand).toMatchObject({ runId: `${expId}_hac_v4.3.0_trim0_0`, bamPath: join(data, 'plain.bam') });
    const pending = json<{ runs: { runId: string }[] }>(['pending-sma']).runs;
    expect(pending.map((r) => r.runId).sort()).toEqual([`${expId}_hac_v4.3.0_trim0_0`, `${expId}_sup_v5.0.0_trim1_1`]);
    expect(ok(['experiments', 'show', expId])).toMatch(/Basecall runs \(2\)/);

    const unknown = benchtop(['basecalls', 'register', 'plain.bam', '--exp', 'NOPE', '--tier', 'sup', '--version', '5', '--trim', '1', '--mods', '0']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/There is no experiment NOPE.*--create-experiment/);
    expect(json<{ expId: string }>(['basecalls', 'register', 'plain.bam', '--exp', 'NOPE', '--tier', 'sup', '--version', '5', '--trim', '1', '--mods', '0', '--create-experiment']).expId).toBe('NOPE');
    expect(benchtop(['basecalls', 'register', 'plain.bam', '--exp', expId, '--tier', 'ultra']).stderr).toContain('--tier must be one of fast, hac, sup');
    expect(benchtop(['basecalls', 'register', 'plain.bam', '--exp', expId, '--tier', 'sup', '--version', '5', '--trim', '1', '--mods', '64']).stderr).toMatch(/bitflag 64 has bits no modification defines/);
    expect(benchtop(['basecalls', 'register', 'missing.bam']).stderr).toContain(`There is no file ${join(data, 'missing.bam')}`);
  });

  it('migrates a legacy database: --dry-run changes nothing; a wrong file is named', () => {
    const legacy = join(data, 'nanopore_experiments.db');
    writeLegacyDb(legacy, [
      [1, tree.complete, null, 'P2S-01234-A', 'PAW12345', 'plasmid_A', null, '2024-01-15', 3],
      [2, '/old/disk/20230101_1000_X1_FAX00001_00000000', 'old_run', 'X1', 'FAX00001', 'old', null, '2023-01-01', 10],
    ]);
    const before = centralCount('experiments');
    const dry = ok(['experiments', 'migrate', legacy, '--dry-run']);
    expect(dry).toContain('Dry run: would add 1 and update 1; nothing was changed.');
    expect(centralCount('experiments')).toBe(before);
    const done = json<{ added: number; updated: number }>(['experiments', 'migrate', legacy]);
    expect(done).toMatchObject({ added: 1, updated: 1 });
    expect(centralCount('experiments')).toBe(before + 1);
    const wrong = benchtop(['experiments', 'migrate', join(dirs.workspace, 'benchtop.db')]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`${join(dirs.workspace, 'benchtop.db')} is not a legacy nanopore_experiments.db`);
  });

  it('stores what is wrong in a final_summary with the experiment, shows it, and a rescan replaces it', () => {
    const bad = generateBadSummaryRuns(join(data, 'bad'));
    const found = json<{ experiments: ExperimentDetail[] }>(['discover', 'bad']);
    const byPath = new Map(found.experiments.map((e) => [e.experimentPath, e]));
    const pathRun = byPath.get(bad.pathFlowCell)!;
    expect(pathRun.flowCellId).toBe('PAX00005');
    expect(pathRun.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/flow_cell_id="\.\.\/\.\.\/etc" is not a flow cell id/), expect.stringMatching(/sample_id="\.\.\/\.\.\/home"/)]);
    expect(byPath.get(bad.binary)).toMatchObject({ runState: 'interrupted', warnings: [{ message: expect.stringMatching(/not a text file/) }] });
    expect(byPath.get(bad.badDate)).toMatchObject({ started: '2024-01-20T08:00', warnings: [{ message: expect.stringMatching(/started="not-a-date"/) }] });

    const db = new Database(join(dirs.workspace, 'benchtop.db'), { readonly: true });
    expect(db.prepare("SELECT COUNT(*) FROM experiments WHERE flow_cell_id LIKE '%..%' OR sample_id LIKE '%..%' OR started = 'not-a-date'").pluck().get()).toBe(0);
    db.close();

    const shown = ok(['experiments', 'show', pathRun.expId]);
    expect(shown).toMatch(/Warnings from the run's files \(2\):\n {2}final_summary_PAX00005_0000eeee_0a1b2c3d\.txt: flow_cell_id="\.\.\/\.\.\/etc" is not a flow cell id/);
    expect(ok(['experiments', 'list'])).toMatch(new RegExp(`^${pathRun.expId} .* 2$`, 'm'));

    // Fixed on disk: the next scan finds nothing wrong, and the warnings go.
    const file = readdirSync(bad.pathFlowCell).find((f) => f.startsWith('final_summary_'))!;
    writeFileSync(join(bad.pathFlowCell, file), finalSummary({ folder: '', sample: 'fixed', flowCell: 'PAX00005', device: 'X5', protocol: 'p', pod5: {}, expected: 2 }, 'a-b'));
    ok(['discover', 'bad']);
    expect(json<ExperimentDetail>(['experiments', 'show', pathRun.expId])).toMatchObject({ warnings: [], sampleId: 'fixed' });
    // One each for the five runs still wrong on disk.
    expect(centralCount('experiment_warnings')).toBe(5);
  });
});
