import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openCentralDb } from './central';
import { DatabaseTooNewError, MigrationError } from './errors';
import { migrate, type Migration } from './migrate';
import { centralMigrations, readsMigrations } from './migrations';
import { count, scratch } from './testing';

const { dir, keep } = scratch();

function noBackup(): never {
  throw new Error('no backup expected');
}

describe('migration files', () => {
  it('are numbered in order, with their file names', () => {
    expect(centralMigrations.map((m) => [m.version, m.name])).toEqual([
      [1, 'central/0001_seed_schema.sql'],
      [2, 'central/0002_seed_lookups.sql'],
      [3, 'central/0003_runs_jobs_audit.sql'],
      [4, 'central/0004_run_inputs_params.sql'],
      [5, 'central/0005_library_versions.sql'],
      [6, 'central/0006_experiment_discovery.sql'],
      [7, 'central/0007_job_starting.sql'],
      [8, 'central/0008_experiment_warnings.sql'],
      [9, 'central/0009_audit_triggers.sql'],
    ]);
    expect(readsMigrations.map((m) => [m.version, m.name])).toEqual([
      [1, 'reads/0001_reads.sql'],
      [2, 'reads/0002_browse_indexes.sql'],
      [3, 'reads/0003_filter_indexes.sql'],
    ]);
    for (const m of [...centralMigrations, ...readsMigrations]) expect(m.sql).toMatch(/CREATE (TABLE|INDEX)|ALTER TABLE/);
  });
});

describe('migrate', () => {
  it('applies every pending migration and records the version', () => {
    const db = keep(new Database(join(dir(), 'x.db')));
    const result = migrate(db, centralMigrations, { file: 'x.db', label: 'central database', backup: noBackup });
    expect(result).toEqual({
      from: 0,
      to: 9,
      applied: ['central/0001_seed_schema.sql', 'central/0002_seed_lookups.sql', 'central/0003_runs_jobs_audit.sql', 'central/0004_run_inputs_params.sql', 'central/0005_library_versions.sql', 'central/0006_experiment_discovery.sql', 'central/0007_job_starting.sql', 'central/0008_experiment_warnings.sql', 'central/0009_audit_triggers.sql'],
    });
    expect(db.pragma('user_version', { simple: true })).toBe(9);
    expect(migrate(db, centralMigrations, { file: 'x.db', label: 'central database', backup: noBackup }))
      .toEqual({ from: 9, to: 9, applied: [] });
  });

  it('refuses a database from a newer Benchtop, leaving the file untouched', () => {
    const workspace = dir();
    const file = join(workspace, 'benchtop.db');
    const newer = new Database(file);
    newer.exec('CREATE TABLE experiments (exp_id TEXT PRIMARY KEY, future_column TEXT)');
    newer.pragma('user_version = 10');
    newer.close();
    const before = { bytes: readFileSync(file), mtime: statSync(file).mtimeMs };

    let error: unknown;
    try {
      keep(openCentralDb(file, { backupDir: join(workspace, 'backups') }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DatabaseTooNewError);
    expect((error as DatabaseTooNewError).code).toBe('db_too_new');
    expect((error as Error).message).toBe(
      `The central database ${file} was written by a newer Benchtop (schema version 10; this Benchtop knows ` +
        'up to 9). Update Benchtop, or open another workspace.',
    );
    expect(readFileSync(file).equals(before.bytes)).toBe(true);
    expect(statSync(file).mtimeMs).toBe(before.mtime);
    expect(existsSync(join(workspace, 'backups'))).toBe(false);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('backs up an older database before migrating it, and keeps its data', () => {
    const workspace = dir();
    const file = join(workspace, 'benchtop.db');
    const backupDir = join(workspace, 'backups');
    const old = new Database(file);
    migrate(old, centralMigrations.slice(0, 1), { file, label: 'central database', backup: noBackup });
    old.prepare("INSERT INTO experiments (exp_id, sample_id) VALUES ('PAW001', 'S1')").run();
    old.close();

    const db = keep(openCentralDb(file, { backupDir }));
    expect(db.pragma('user_version', { simple: true })).toBe(9);
    expect(db.prepare('SELECT sample_id FROM experiments').pluck().all()).toEqual(['S1']);

    const backups = readdirSync(backupDir);
    expect(backups).toEqual([expect.stringMatching(/^benchtop-\d{8}T\d{6}\.\d{3}Z-migration\.db$/)]);
    const backup = keep(new Database(join(backupDir, backups[0]!), { readonly: true }));
    expect(backup.pragma('user_version', { simple: true })).toBe(1);
    expect(backup.prepare('SELECT exp_id FROM experiments').pluck().all()).toEqual(['PAW001']);
    expect(backup.prepare("SELECT name FROM sqlite_master WHERE name = 'lk_pore_types'").get()).toBeUndefined();
  });

  it('rolls every pending migration back when one fails, naming it', () => {
    const file = join(dir(), 'x.db');
    const db = keep(new Database(file));
    const migrations: Migration[] = [
      { version: 1, name: 'test/0001_base.sql', sql: 'CREATE TABLE base (id INTEGER PRIMARY KEY);' },
      { version: 2, name: 'test/0002_first.sql', sql: 'CREATE TABLE first_added (id INTEGER); INSERT INTO base VALUES (1);' },
      { version: 3, name: 'test/0003_broken.sql', sql: 'CREATE TABLE second_added (id INTEGER); CREATE TABLEX oops;' },
    ];
    migrate(db, migrations.slice(0, 1), { file, label: 'test database', backup: noBackup });
    let backedUpFrom: number | undefined;
    const run = () =>
      migrate(db, migrations, { file, label: 'test database', backup: (from) => (backedUpFrom = from) });

    expect(run).toThrow(MigrationError);
    expect(run).toThrow(/test\/0003_broken\.sql/);
    expect(backedUpFrom).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect(tables).toEqual(['base']);
    expect(count(db, 'base')).toBe(0);
    expect(db.inTransaction).toBe(false);
  });

  it('rolls back from version 0 too', () => {
    const file = join(dir(), 'x.db');
    const db = keep(new Database(file));
    const migrations: Migration[] = [
      { version: 1, name: 'test/0001_ok.sql', sql: 'CREATE TABLE first_added (id INTEGER);' },
      { version: 2, name: 'test/0002_broken.sql', sql: 'INSERT INTO no_such_table VALUES (1);' },
    ];
    expect(() => migrate(db, migrations, { file, label: 'test database', backup: noBackup }))
      .toThrow(/test\/0002_broken\.sql.*no such table/);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare("SELECT COUNT(*) FROM sqlite_master").pluck().get()).toBe(0);
  });
});
