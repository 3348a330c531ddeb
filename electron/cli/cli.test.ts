import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../../tests/tempWorkspace';

const BIN = join(import.meta.dirname, '../../bin/benchtop.js');
const BUILT = join(import.meta.dirname, '../../dist/cli/benchtop.js');

/** The real `benchtop` command, as a user runs it, from the build. */
function benchtop(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, BENCHTOP_CONFIG_DIR: dirs.config, BENCHTOP_WORKSPACE: '', ...env },
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let dirs = tempDirs('benchtop-cli-');

describe('benchtop CLI', () => {
  beforeAll(() => {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`npm run build\` first (npm test does).`);
  });
  afterEach(() => {
    dirs.cleanup();
    dirs = tempDirs('benchtop-cli-');
  });

  it('init creates the workspace and prints table and lookup counts', () => {
    const human = benchtop(['init', '--workspace', dirs.workspace]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`Created workspace ${dirs.workspace}`);
    expect(human.stdout).toMatch(/74 lookup rows across 12 lookup tables/);
    const json = JSON.parse(benchtop(['init', '--workspace', dirs.workspace, '--json']).stdout);
    expect(json.created).toBe(false);
    expect(json.tables.find((t: { name: string }) => t.name === 'lk_sequencing_kits').rows).toBe(7);
    // --workspace before the command's words, as people type it: its value is no command word.
    const first = benchtop(['--workspace', dirs.workspace, 'init', '--json']);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).created).toBe(false);
  });

  it('init on an existing workspace loses nothing', () => {
    benchtop(['init', '--workspace', dirs.workspace]);
    const db = new Database(join(dirs.workspace, 'benchtop.db'));
    db.prepare("INSERT INTO experiments (exp_id, sample_id) VALUES ('exp1', 'S1')").run();
    db.prepare("INSERT INTO lk_sequencing_kits (kit_id, kit_name) VALUES ('SQK-NEW', 'A new kit')").run();
    db.close();
    expect(benchtop(['init', '--workspace', dirs.workspace]).code).toBe(0);
    const after = new Database(join(dirs.workspace, 'benchtop.db'), { readonly: true });
    expect(after.prepare('SELECT sample_id FROM experiments').pluck().all()).toEqual(['S1']);
    expect(after.prepare('SELECT COUNT(*) FROM lk_sequencing_kits').pluck().get()).toBe(8);
    after.close();
  });

  it('status reports the pipeline, honouring BENCHTOP_WORKSPACE', () => {
    benchtop(['init', '--workspace', dirs.workspace]);
    const db = new Database(join(dirs.workspace, 'benchtop.db'));
    db.prepare("INSERT INTO experiments (exp_id, sample_id) VALUES ('exp1', 'S1'), ('exp2', 'S2')").run();
    db.prepare("INSERT INTO basecall_runs (run_id, exp_id, model_tier, status) VALUES ('r1', 'exp1', 'sup', 'complete'), ('r2', 'exp2', 'hac', 'running')").run();
    db.close();
    const json = JSON.parse(benchtop(['status', '--json'], { BENCHTOP_WORKSPACE: dirs.workspace }).stdout);
    expect(json.workspace).toBe(dirs.workspace);
    expect(json.experiments).toBe(2);
    expect(json.basecallRuns).toMatchObject({ complete: 1, running: 1, pending: 0 });
    expect(json.pendingSma).toEqual([{ runId: 'r1', expId: 'exp1', sampleId: 'S1', modelTier: 'sup', bamPath: null }]);
    const human = benchtop(['status', '--workspace', dirs.workspace]).stdout;
    expect(human).toMatch(/Ready for SMA analysis \(1\)/);
  });

  it('db backup writes a consistent copy, and refuses to overwrite', () => {
    benchtop(['init', '--workspace', dirs.workspace]);
    const to = join(dirs.root, 'copy.db');
    const first = benchtop(['db', 'backup', '--to', to, '--workspace', dirs.workspace]);
    expect(first.code).toBe(0);
    const copy = new Database(to, { readonly: true });
    expect(copy.prepare('SELECT COUNT(*) FROM lk_pore_types').pluck().get()).toBe(3);
    copy.close();
    const again = benchtop(['db', 'backup', '--to', to, '--workspace', dirs.workspace]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('already exists');
  });

  it('refuses a database from a newer Benchtop with a clear message and no stack trace', () => {
    benchtop(['init', '--workspace', dirs.workspace]);
    const db = new Database(join(dirs.workspace, 'benchtop.db'));
    db.pragma('user_version = 999');
    db.close();
    const result = benchtop(['status', '--workspace', dirs.workspace]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(join(dirs.workspace, 'benchtop.db'));
    expect(result.stderr).toContain('newer Benchtop');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('rejects unknown commands and options with usage, on stderr', () => {
    const unknown = benchtop(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    const badOption = benchtop(['status', '--colour']);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain('Usage: benchtop status');
  });
});
