import { closeSync, existsSync, openSync, readdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openReadsDb } from '../../db/reads';
import { backupFileName } from '../../db/backups/names';
import { ApiError } from '../../shared/errors';
import type { Session } from '../api/session';
import { openTestSession, tempDirs } from '../../tests/tempWorkspace';
import { dailyBackups, listBackups } from './backups';
import { preRestoreCopy, restoreDatabase, restoreTarget } from './restore';

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

const experiments = () => session.workspace.db.prepare('SELECT exp_id, sample_id FROM experiments ORDER BY exp_id').all();

function readsFile(expId: string): string {
  return join(session.workspace.layout.readsDir, `SMA_${expId}.db`);
}

function readsRows(expId: string): unknown[] {
  const db = new Database(readsFile(expId), { readonly: true });
  try {
    return db.prepare('SELECT read_id, readlen FROM reads ORDER BY read_id').all();
  } finally {
    db.close();
  }
}

async function rejects(promise: Promise<unknown>, pattern: RegExp): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  expect((error as Error).message).toMatch(pattern);
  return error as ApiError;
}

describe('backup and restore', () => {
  it('brings the central database back to the backup, keeping a pre-restore copy and the audit of the restore', async () => {
    const db = session.workspace.db;
    db.prepare("INSERT INTO experiments (exp_id, sample_id) VALUES ('e1', 'S1'), ('e2', 'S2')").run();
    const atBackup = experiments();
    const { path } = await session.call('db.backup', {});

    session.workspace.db.prepare("UPDATE experiments SET sample_id = 'changed' WHERE exp_id = 'e1'").run();
    session.workspace.db.prepare("DELETE FROM experiments WHERE exp_id = 'e2'").run();
    session.workspace.db.prepare("INSERT INTO experiments (exp_id) VALUES ('e3')").run();

    const result = await session.call('db.restore', { file: path });
    expect(result).toMatchObject({ database: 'central', restored: session.workspace.layout.centralDb, from: path });
    expect(experiments()).toEqual(atBackup);
    // The pre-restore copy holds the state it replaced, and is listed.
    const before = new Database(result.preRestore, { readonly: true });
    expect(before.prepare('SELECT exp_id FROM experiments ORDER BY exp_id').pluck().all()).toEqual(['e1', 'e3']);
    before.close();
    expect((await session.call('db.backups', {})).backups.map((b) => b.reason)).toEqual(expect.arrayContaining(['manual', 'pre-restore']));
    expect(session.workspace.db.prepare("SELECT COUNT(*) FROM audit_log WHERE action = 'db.restore'").pluck().get()).toBe(1);
    // What happened between the backup and the restore is still in the audit trail, newest first.
    const trail = await session.call('db.audit', { table: 'experiments' });
    expect(trail.entries.map((e) => [e.change, e.key])).toEqual([
      ['insert', 'e3'],
      ['delete', 'e2'],
      ['update', 'e1'],
      ['insert', 'e2'],
      ['insert', 'e1'],
    ]);
    expect(trail.entries[2]!.newValues).toEqual({ sample_id: 'changed' });
    // The session goes on working on the restored file.
    await session.call('lookups.add', { table: 'lk_run_purposes', row: { purpose: 'after_restore' } });
    expect(existsSync(`${session.workspace.layout.centralDb}-wal`)).toBe(true);
  });

  it('brings a reads database back to the backup', async () => {
    const file = readsFile('EXP1');
    const reads = openReadsDb(file);
    reads.prepare("INSERT INTO reads (read_id, run_id, readlen) VALUES ('r1', 'run', 100), ('r2', 'run', 200)").run();
    reads.close();
    const { reads: copies } = await session.call('db.backup', {});
    expect(copies).toHaveLength(1);

    const again = openReadsDb(file);
    again.prepare("UPDATE reads SET readlen = 1 WHERE read_id = 'r1'").run();
    again.prepare("INSERT INTO reads (read_id, run_id, readlen) VALUES ('r3', 'run', 300)").run();
    again.close();

    // A read-only query (as the results browser's) leaves the -wal and -shm behind: not a reason to refuse.
    expect(readsRows('EXP1')).toHaveLength(3);
    expect(existsSync(`${file}-wal`)).toBe(true);

    const result = await session.call('db.restore', { file: copies![0]!.path });
    expect(result).toMatchObject({ database: 'reads', expId: 'EXP1', restored: file });
    expect(readsRows('EXP1')).toEqual([
      { read_id: 'r1', readlen: 100 },
      { read_id: 'r2', readlen: 200 },
    ]);
    expect(readdirSync(join(session.workspace.layout.backupsDir, 'reads')).some((n) => n.endsWith('-pre-restore.db'))).toBe(true);
  });

  it('leaves the database as it was when the backup is damaged', async () => {
    session.workspace.db.prepare("INSERT INTO experiments (exp_id, sample_id) VALUES ('e1', 'S1')").run();
    const { path } = await session.call('db.backup', {});
    session.workspace.db.prepare("INSERT INTO experiments (exp_id) VALUES ('e2')").run();
    const current = experiments();
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(16384, 0x5a), 0, 16384, 4096);
    closeSync(fd);

    await rejects(session.call('db.restore', { file: path }), /damaged|not a usable backup/);
    expect(experiments()).toEqual(current);
    expect(listBackups(session.workspace.layout).some((b) => b.reason === 'pre-restore')).toBe(false);
    expect(readdirSync(session.workspace.layout.path).filter((n) => n.includes('restoring'))).toEqual([]);
  });

  it('leaves the database as it was when the backup cannot be migrated', async () => {
    session.workspace.db.prepare("INSERT INTO experiments (exp_id) VALUES ('e1')").run();
    const { path } = await session.call('db.backup', {});
    // A copy claiming an older schema than it has: migrating it fails (the columns exist already).
    const bad = join(session.workspace.layout.backupsDir, backupFileName('benchtop', new Date(Date.now() + 5), 'manual'));
    const copy = new Database(path);
    copy.exec(`VACUUM INTO '${bad}'`);
    copy.close();
    const edit = new Database(bad);
    edit.pragma('user_version = 5');
    edit.close();
    session.workspace.db.prepare("INSERT INTO experiments (exp_id) VALUES ('e2')").run();

    await rejects(session.call('db.restore', { file: bad }), /benchtop-.*-manual\.db cannot be restored: .*migration central\/0006_experiment_discovery\.sql failed .* is unchanged/);
    expect(experiments().map((e) => (e as { exp_id: string }).exp_id)).toEqual(['e1', 'e2']);
    await session.call('lookups.add', { table: 'lk_run_purposes', row: { purpose: 'still_works' } });
  });

  it('refuses while another program has the database open', async () => {
    const file = readsFile('EXP3');
    openReadsDb(file).close();
    const { reads: copies } = await session.call('db.backup', {});
    const other = openReadsDb(file);
    try {
      await rejects(session.call('db.restore', { file: copies![0]!.path }), /is still open in another program/);
    } finally {
      other.close();
    }
    await session.call('db.restore', { file: copies![0]!.path });
  });

  it('refuses a reads backup over the central database and a missing file', async () => {
    const reads = openReadsDb(readsFile('EXP1'));
    reads.close();
    const { reads: copies } = await session.call('db.backup', {});
    const misnamed = join(session.workspace.layout.backupsDir, 'benchtop-copy.db');
    new Database(copies![0]!.path).exec(`VACUUM INTO '${misnamed}'`);
    await rejects(session.call('db.restore', { file: misnamed }), /is not a copy of a central database/);
    await rejects(session.call('db.restore', { file: join(dirs.root, 'nope.db') }), /There is no backup/);
  });
});

describe('daily backups', () => {
  it('copy each database whose newest copy is older than a day, and only those', async () => {
    openReadsDb(readsFile('EXP1')).close();
    const policy = { keepToday: 3, keepDays: 14 };
    const first = await dailyBackups(() => session.workspace, policy, () => {});
    expect(first.map((b) => b.reason)).toEqual(['daily', 'daily']);
    expect(await dailyBackups(() => session.workspace, policy, () => {})).toEqual([]);
    // A day later the central database is copied again; the reads database, unchanged, is not.
    const later = await dailyBackups(() => session.workspace, policy, () => {}, Date.now() + 25 * 3600_000);
    expect(later.map((b) => b.path)).toEqual([expect.stringMatching(/benchtop-.*-daily\.db$/)]);
    expect(listBackups(session.workspace.layout).map((b) => [b.database, b.verified])).toEqual(expect.arrayContaining([['central', true], ['reads', true]]));
  });
});

describe('imports', () => {
  it('take a copy of the central database first', async () => {
    await session.call('experiments.migrateLegacy', { source: join(dirs.root, 'missing.db'), dryRun: true }).catch(() => null);
    expect(listBackups(session.workspace.layout)).toEqual([]);
    await session.call('runs.import', { config: {}, inputs: 'not a list' } as never).catch(() => null); // refused before anything runs
    expect(listBackups(session.workspace.layout)).toEqual([]);
    await session.call('libraries.import', { path: join(dirs.root, 'missing.yaml') }).catch(() => null);
    expect(listBackups(session.workspace.layout).map((b) => b.reason)).toEqual(['import']);
  });
});

describe('restoreDatabase', () => {
  it('puts the pre-restore copy back when the swapped-in database cannot be opened', async () => {
    const file = readsFile('EXP2');
    const reads = openReadsDb(file);
    reads.prepare("INSERT INTO reads (read_id, run_id, readlen) VALUES ('old', 'run', 1)").run();
    reads.close();
    const { reads: copies } = await session.call('db.backup', {});
    const now = openReadsDb(file);
    now.prepare("INSERT INTO reads (read_id, run_id, readlen) VALUES ('new', 'run', 2)").run();
    now.close();

    const layout = session.workspace.layout;
    const target = restoreTarget(layout, copies![0]!.path);
    let opens = 0;
    expect(() =>
      restoreDatabase({
        target,
        backup: copies![0]!.path,
        takePreRestore: () => preRestoreCopy(target, null),
        close: () => {},
        reopen: () => {
          opens++;
          if (opens === 1) throw new Error('the disk went away');
        },
      }),
    ).toThrow('the disk went away');
    expect(opens).toBe(2);
    expect(readsRows('EXP2')).toEqual([
      { read_id: 'new', readlen: 2 },
      { read_id: 'old', readlen: 1 },
    ]);
  });
});

describe('reads database migrations', () => {
  it('copy a workspace reads database to backups/reads/ before migrating it', () => {
    const file = readsFile('OLD');
    const old = new Database(file);
    old.exec("CREATE TABLE reads (read_id TEXT, run_id TEXT, readseq TEXT, readlen INTEGER, q_bc REAL, ed INTEGER, q_ld REAL, ref_id TEXT, end_reason TEXT, strand TEXT, PRIMARY KEY (read_id, run_id)); INSERT INTO reads (read_id, run_id) VALUES ('r1', 'run')");
    old.pragma('user_version = 1');
    old.close();
    openReadsDb(file).close();
    expect(listBackups(session.workspace.layout).map((b) => [b.database, b.expId, b.reason])).toEqual([['reads', 'OLD', 'migration']]);
  });
});
