import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCentralDb } from '../central';
import { scratch } from '../testing';
import type { Session } from '../../electron/api/session';
import { openTestSession, tempDirs } from '../../tests/tempWorkspace';
import { ensureAuditTriggers, expectedAuditTriggers } from './triggers';

const SQLITE3 = '/usr/bin/sqlite3';
const { dir, keep } = scratch();

interface ChangeRow {
  actor: string;
  operation: string | null;
  table_name: string;
  row_key: string;
  change: string;
  old_values: string | null;
  new_values: string | null;
}

function changes(db: Database.Database, table: string): (ChangeRow & { old: unknown; new: unknown })[] {
  const rows = db.prepare('SELECT actor, operation, table_name, row_key, change, old_values, new_values FROM audit_changes WHERE table_name = ? ORDER BY id').all(table) as ChangeRow[];
  return rows.map((r) => ({ ...r, old: r.old_values === null ? null : JSON.parse(r.old_values), new: r.new_values === null ? null : JSON.parse(r.new_values) }));
}

describe('audit triggers', () => {
  it('record a change made with the sqlite3 shell, with its old and new values and a shell actor', () => {
    const workspace = dir();
    const file = join(workspace, 'benchtop.db');
    const db = keep(openCentralDb(file, { backupDir: join(workspace, 'backups'), actor: 'ada (test)' }));
    db.prepare("INSERT INTO experiments (exp_id, sample_id, flow_cell_id) VALUES ('PAW1', 'S1', NULL)").run();
    db.close();

    // NULL → value counts as a change (IS NOT), an unchanged column is left out.
    execFileSync(SQLITE3, [file, "UPDATE experiments SET sample_id = 'S2', flow_cell_id = 'FC9', instrument = instrument WHERE exp_id = 'PAW1'"]);

    const after = keep(openCentralDb(file, { backupDir: join(workspace, 'backups') }));
    const rows = changes(after, 'experiments');
    expect(rows.map((r) => [r.actor, r.change, r.row_key])).toEqual([
      ['ada (test)', 'insert', 'PAW1'],
      ['sqlite3 shell', 'update', 'PAW1'],
    ]);
    expect(rows[1]!.old).toEqual({ sample_id: 'S1', flow_cell_id: null });
    expect(rows[1]!.new).toEqual({ sample_id: 'S2', flow_cell_id: 'FC9' });
    expect(rows[1]!.operation).toBeNull();
  });

  it('write nothing for an UPDATE that changes no value', () => {
    const db = keep(openCentralDb(join(dir(), 'benchtop.db'), {}));
    db.prepare("INSERT INTO experiments (exp_id, sample_id) VALUES ('e1', NULL)").run();
    db.prepare("UPDATE experiments SET sample_id = NULL WHERE exp_id = 'e1'").run();
    db.prepare("UPDATE experiments SET sample_id = 'S1' WHERE exp_id = 'e1'").run();
    expect(changes(db, 'experiments').map((r) => [r.change, r.old, r.new])).toEqual([
      ['insert', null, expect.objectContaining({ exp_id: 'e1', sample_id: null })],
      ['update', { sample_id: null }, { sample_id: 'S1' }],
    ]);
  });

  it('name a shell user who sets audit_context themselves', () => {
    const workspace = dir();
    const file = join(workspace, 'benchtop.db');
    keep(openCentralDb(file, {})).close();
    execFileSync(SQLITE3, [file, "UPDATE audit_context SET actor = 'grace', operation = 'fix sample'; INSERT INTO experiments (exp_id) VALUES ('e9'); UPDATE audit_context SET actor = NULL, operation = NULL;"]);
    const db = keep(openCentralDb(file, {}));
    expect(changes(db, 'experiments').map((r) => [r.actor, r.operation, r.change])).toEqual([['grace', 'fix sample', 'insert']]);
  });

  it('cover every table but the audit tables, also one a later migration adds, and are recreated only when the schema changed', () => {
    const workspace = dir();
    const file = join(workspace, 'benchtop.db');
    const db = keep(openCentralDb(file, {}));
    const tables = new Set([...expectedAuditTriggers(db).keys()].map((name) => name.split(':')[1]));
    expect(tables.has('runs')).toBe(true);
    expect(tables.has('lk_end_reasons')).toBe(true);
    expect(tables.has('audit_log')).toBe(false);
    expect(tables.has('audit_changes')).toBe(false);
    expect(tables.has('audit_context')).toBe(false);
    expect(ensureAuditTriggers(db).recreated).toBe(false);

    db.exec('CREATE TABLE later_table (id INTEGER PRIMARY KEY, a TEXT, b TEXT)');
    db.exec('ALTER TABLE experiments ADD COLUMN later_column TEXT');
    expect(ensureAuditTriggers(db).recreated).toBe(true);
    db.prepare("INSERT INTO later_table (a) VALUES ('x')").run();
    db.prepare("INSERT INTO experiments (exp_id, later_column) VALUES ('e1', 'new')").run();
    expect(changes(db, 'later_table').map((r) => [r.row_key, r.new])).toEqual([['1', { id: 1, a: 'x', b: null }]]);
    expect(changes(db, 'experiments')[0]!.new).toMatchObject({ later_column: 'new' });
  });

  it('key a composite primary key as a JSON array', () => {
    const db = keep(openCentralDb(join(dir(), 'benchtop.db'), {}));
    db.prepare("INSERT INTO library_specs (lib_id, lib_name) VALUES ('L1', 'one')").run();
    db.prepare("INSERT INTO experiments (exp_id) VALUES ('e1')").run();
    db.prepare("INSERT INTO lib_experiment_link (lib_id, exp_id) VALUES ('L1', 'e1')").run();
    expect(changes(db, 'lib_experiment_link')[0]!.row_key).toBe('["L1","e1"]');
  });
});

describe('audit trail through the app', () => {
  let dirs: ReturnType<typeof tempDirs>;
  let session: Session;
  beforeEach(() => {
    dirs = tempDirs();
    session = openTestSession(dirs);
  });
  afterEach(() => {
    session.close();
    dirs.cleanup();
  });

  it("gives an operation's changes its name and the user and door as actor, and keeps them when the run is deleted", async () => {
    const run = await session.call('runs.create', { name: 'Audited run' });
    await session.call('runs.delete', { id: run.id, confirm: run.id });
    const rows = changes(session.workspace.db, 'runs');
    const actor = `${userInfo().username} (cli)`;
    expect(rows.map((r) => [r.actor, r.operation, r.change, r.row_key])).toEqual([
      [actor, 'runs.create', 'insert', run.id],
      ...rows.filter((r) => r.change === 'update').map(() => [actor, 'runs.create', 'update', run.id]),
      [actor, 'runs.delete', 'delete', run.id],
    ]);
    expect(rows.at(-1)!.old).toMatchObject({ id: run.id, name: 'Audited run' });

    const trail = await session.call('db.audit', { table: 'runs' });
    expect(trail.entries.map((e) => e.change)).toEqual(rows.map((r) => r.change).reverse());
    expect(trail.tables).toContain('runs');
    const actions = await session.call('db.audit', { kind: 'actions', operation: 'runs.delete' });
    expect(actions.entries).toHaveLength(1);
    expect(actions.entries[0]).toMatchObject({ kind: 'action', subject: 'run', key: run.id });
  });

  it('pages newest first without repeating or skipping an entry, filtered by text and date', async () => {
    for (let i = 0; i < 7; i++) await session.call('lookups.add', { table: 'lk_run_purposes', row: { purpose: `purpose_${i}`, description: `number ${i}` } });
    const seen: string[] = [];
    let before: { at: string; kind: 'change' | 'action'; id: number } | undefined;
    for (;;) {
      const page = await session.call('db.audit', { limit: 3, ...(before ? { before } : {}) });
      seen.push(...page.entries.map((e) => `${e.kind}:${e.id}`));
      if (!page.next) break;
      before = page.next;
    }
    expect(seen).toHaveLength(14); // 7 row inserts + 7 recorded actions
    expect(new Set(seen).size).toBe(14);
    const text = await session.call('db.audit', { kind: 'changes', text: 'number 4' });
    expect(text.entries.map((e) => e.newValues?.purpose)).toEqual(['purpose_4']);
    const today = new Date().toISOString().slice(0, 10);
    expect((await session.call('db.audit', { from: today, to: today })).entries.length).toBeGreaterThan(0);
    expect((await session.call('db.audit', { to: '2000-01-01' })).entries).toEqual([]);
  });
});
