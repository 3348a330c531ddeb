import { CENTRAL_SCHEMA_VERSION } from './central';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../shared/errors';
import { backupDatabase } from './backup';
import { count, scratch } from './testing';

const { dir, keep, central } = scratch();

describe('backupDatabase', () => {
  it('copies an open database, uncheckpointed WAL included, into a new folder', () => {
    const db = central();
    db.pragma('wal_autocheckpoint = 0');
    db.prepare("INSERT INTO experiments (exp_id, sample_id) VALUES ('e1', 'S1'), ('e2', 'S2')").run();
    const to = join(dir(), 'nested', 'copy.db');

    const result = backupDatabase(db, to);
    expect(result).toEqual({ path: to, bytes: statSync(to).size });
    expect(result.bytes).toBeGreaterThan(0);
    const copy = keep(new Database(to, { readonly: true }));
    expect(copy.prepare('SELECT exp_id, sample_id FROM experiments ORDER BY exp_id').all()).toEqual([
      { exp_id: 'e1', sample_id: 'S1' },
      { exp_id: 'e2', sample_id: 'S2' },
    ]);
    expect(count(copy, 'lk_sequencing_kits')).toBe(7);
    expect(copy.pragma('user_version', { simple: true })).toBe(CENTRAL_SCHEMA_VERSION);
  });

  it('refuses to overwrite a file', () => {
    const db = central();
    const to = join(dir(), 'precious.db');
    writeFileSync(to, 'keep me');
    expect(() => backupDatabase(db, to)).toThrow(ApiError);
    expect(() => backupDatabase(db, to)).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(statSync(to).size).toBe('keep me'.length);
  });
});
