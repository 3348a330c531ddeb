import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { count, scratch } from '../../db/testing';
import { writeLegacyDb } from '../../tests/fixtures/legacy';
import { migrateLegacy } from './legacy';

const { dir, keep, central } = scratch();

const ROWS = [
  [1, '/data/minknow/g1/s1/20240115_1423_P2S-01234-A_PAW12345_a1b2c3d4', 'exp_a1b2', 'P2S-01234-A', 'PAW12345', 'S1', 'sequencing/x:FLO-PRO114M:SQK-LSK114:400', '2024-01-15T14:23:45', 120],
  [2, '/data/minknow/g1/s2/20240116_0900_MN1_FAX2_b2c3d4e5', null, 'MN1', 'FAX2', 'S2', null, '2024-01-16T09:00:00', 40],
];

describe('legacy nanopore_experiments.db migration', () => {
  it('with --dry-run reports what it would do and changes nothing', () => {
    const file = join(dir(), 'nanopore_experiments.db');
    writeLegacyDb(file, ROWS);
    const db = central();
    const before = count(db, 'experiments');
    const result = migrateLegacy(db, file, true, 'test');
    expect(result).toMatchObject({ dryRun: true, found: 2, added: 2, updated: 0 });
    expect(result.rows.map((r) => [r.expId, r.action])).toEqual([
      ['exp_a1b2', 'add'],
      ['20240116_0900_MN1_FAX2_b2c3d4e5', 'add'], // no unique_id: the folder's name
    ]);
    expect(count(db, 'experiments')).toBe(before);
    expect(count(db, 'audit_log')).toBe(0);
  });

  it("maps the seed's columns: unique_id or folder name, pod5_files → pod5_count, path → pod5_dir; again: updates", () => {
    const file = join(dir(), 'nanopore_experiments.db');
    writeLegacyDb(file, ROWS);
    const db = central();
    expect(migrateLegacy(db, file, false, 'test')).toMatchObject({ added: 2, updated: 0 });
    expect(db.prepare("SELECT * FROM experiments WHERE exp_id = 'exp_a1b2'").get()).toMatchObject({
      experiment_path: ROWS[0]![1], instrument: 'P2S-01234-A', flow_cell_id: 'PAW12345', sample_id: 'S1',
      protocol: ROWS[0]![6], started: '2024-01-15T14:23:45', pod5_count: 120, pod5_dir: ROWS[0]![1], source: 'legacy',
    });
    expect(db.prepare("SELECT pod5_count FROM experiments WHERE exp_id = '20240116_0900_MN1_FAX2_b2c3d4e5'").pluck().get()).toBe(40);
    expect(migrateLegacy(db, file, false, 'test')).toMatchObject({ added: 0, updated: 2 });
    expect(count(db, 'experiments')).toBe(2);
  });

  it('is all or nothing: a bad row leaves the central database as it was', () => {
    const file = join(dir(), 'nanopore_experiments.db');
    writeLegacyDb(file, [...ROWS, [3, ROWS[0]![1], 'other_id', null, null, null, null, null, 1]]);
    const db = central();
    expect(() => migrateLegacy(db, file, false, 'test')).toThrow(/row id 3 \(other_id\).*UNIQUE.*Nothing was migrated/);
    expect(count(db, 'experiments')).toBe(0);
    const noId = join(dir(), 'noid.db');
    writeLegacyDb(noId, [[9, null, null, 'X', null, null, null, null, 0]]);
    expect(() => migrateLegacy(db, noId, false, 'test')).toThrow(`${noId}, experiments row id 9: neither unique_id nor experiment_path is set`);
  });

  it('names the file when it is not that database', () => {
    const db = central();
    const text = join(dir(), 'notes.db');
    writeFileSync(text, 'this is not sqlite at all, just some text that is long enough to be a header');
    expect(() => migrateLegacy(db, text, true, 'test')).toThrow(`${text} is not a legacy nanopore_experiments.db`);
    const other = join(dir(), 'other.db');
    keep(new Database(other)).exec('CREATE TABLE experiments (exp_id TEXT)');
    expect(() => migrateLegacy(db, other, true, 'test')).toThrow(
      `${other} is not a legacy nanopore_experiments.db: its experiments table lacks the columns id, experiment_path, unique_id, instrument, flow_cell_id, sample_id, protocol, started, pod5_files.`,
    );
    const empty = join(dir(), 'empty.db');
    keep(new Database(empty)).exec('CREATE TABLE t (x)');
    expect(() => migrateLegacy(db, empty, true, 'test')).toThrow(`${empty} is not a legacy nanopore_experiments.db: it has no experiments table.`);
    expect(() => migrateLegacy(db, join(dir(), 'missing.db'), true, 'test')).toThrow(/There is no file .*missing\.db/);
  });
});
