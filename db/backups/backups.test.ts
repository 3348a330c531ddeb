import { existsSync, openSync, readdirSync, statSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CENTRAL_SCHEMA_VERSION } from '../central';
import { scratch } from '../testing';
import { backupFileName, parseBackupName, type BackupReason } from './names';
import { backupsToDelete, rotateBackups, type RotatableBackup } from './rotation';
import { takeBackup, takeBackupSync } from './take';
import { verifyBackup } from './verify';

const { dir, central } = scratch();
const POLICY = { keepToday: 3, keepDays: 14 };
/** Noon, local time, on 4 December 2026. */
const NOW = new Date(2026, 11, 4, 12, 0, 0);

function at(daysBack: number, hour: number, minute = 0): Date {
  return new Date(2026, 11, 4 - daysBack, hour, minute);
}

function backup(when: Date, reason: BackupReason = 'daily', base = 'benchtop'): RotatableBackup {
  return { file: backupFileName(base, when, reason), base, at: when, reason };
}

describe('backup names', () => {
  it('say what they copy, when and why, and parse back', () => {
    const when = new Date(Date.UTC(2026, 11, 4, 19, 24, 30, 123));
    expect(backupFileName('SMA_PAW-1', when, 'pre-restore')).toBe('SMA_PAW-1-20261204T192430.123Z-pre-restore.db');
    expect(parseBackupName('SMA_PAW-1-20261204T192430.123Z-pre-restore.db')).toEqual({ base: 'SMA_PAW-1', at: when, reason: 'pre-restore' });
    expect(parseBackupName('benchtop-v5-20261204T192430.123Z.db')).toEqual({ base: 'benchtop', at: when, reason: 'migration' });
    expect(parseBackupName('notes.txt')).toBeNull();
    expect(parseBackupName('benchtop-20261204T192430.123Z-whenever.db')).toBeNull();
  });
});

describe('rotation policy', () => {
  it('keeps the newest 3 of today and the newest of each of 14 days, per database', () => {
    const today = [at(0, 11, 50), at(0, 11), at(0, 10), at(0, 9), at(0, 8)].map((d) => backup(d, 'manual'));
    const yesterday = [at(1, 20), at(1, 8)].map((d) => backup(d));
    const day13 = [backup(at(13, 9))];
    const day14 = [backup(at(14, 23))];
    const reads = [at(0, 7), at(0, 6), at(0, 5), at(0, 4)].map((d) => backup(d, 'daily', 'SMA_E1'));
    const doomed = backupsToDelete([...today, ...yesterday, ...day13, ...day14, ...reads], NOW, POLICY);
    expect(doomed.map((b) => b.file).sort()).toEqual(
      [today[3]!, today[4]!, yesterday[1]!, day14[0]!, reads[3]!].map((b) => b.file).sort(),
    );
  });

  it('keeps every migration and pre-restore copy of the window, and none older', () => {
    const safety = [backup(at(2, 10), 'migration'), backup(at(2, 9), 'pre-restore'), backup(at(2, 8), 'import')];
    const old = [backup(at(20, 10), 'migration'), backup(at(15, 10), 'pre-restore')];
    const doomed = backupsToDelete([...safety, ...old], NOW, POLICY);
    expect(doomed.map((b) => b.file).sort()).toEqual([safety[2]!, ...old].map((b) => b.file).sort());
  });

  it('follows its settings', () => {
    const list = [at(0, 11), at(0, 10), at(1, 10), at(2, 10)].map((d) => backup(d));
    expect(backupsToDelete(list, NOW, { keepToday: 1, keepDays: 2 }).map((b) => b.at)).toEqual([at(0, 10), at(2, 10)]);
  });

  it('deletes exactly the files the policy names, and nothing that is not a backup', () => {
    const folder = dir();
    const names = [at(0, 11), at(0, 10), at(0, 9), at(0, 8), at(1, 10), at(1, 9), at(30, 9)].map((d) => backupFileName('benchtop', d, 'daily'));
    for (const name of [...names, 'my-own-copy.db', 'README.txt']) writeFileSync(join(folder, name), 'x');
    const deleted = rotateBackups(folder, POLICY, NOW);
    expect(deleted.map((f) => f.slice(folder.length + 1)).sort()).toEqual([names[3]!, names[5]!, names[6]!].sort());
    expect(readdirSync(folder).sort()).toEqual([names[0]!, names[1]!, names[2]!, names[4]!, 'README.txt', 'my-own-copy.db'].sort());
  });
});

describe('taking a backup', () => {
  it('copies online, verifies, names the file and leaves a single file', async () => {
    const workspace = dir();
    const db = central(workspace);
    db.prepare("INSERT INTO experiments (exp_id) VALUES ('e1')").run();
    const taken = await takeBackup(db, join(workspace, 'benchtop.db'), join(workspace, 'backups'), 'manual');
    expect(parseBackupName(taken.path.slice(join(workspace, 'backups').length + 1))).toMatchObject({ base: 'benchtop', reason: 'manual' });
    expect(taken.bytes).toBe(statSync(taken.path).size);
    expect(existsSync(`${taken.path}-wal`)).toBe(false);
    expect(existsSync(`${taken.path}.partial`)).toBe(false);
    expect(() => verifyBackup(taken.path, CENTRAL_SCHEMA_VERSION)).not.toThrow();
    const second = takeBackupSync(db, join(workspace, 'benchtop.db'), join(workspace, 'backups'), 'manual', new Date(taken.at));
    expect(second.path).not.toBe(taken.path);
  });

  it('rejects a copy that is damaged or of another schema version', async () => {
    const workspace = dir();
    const db = central(workspace);
    db.prepare('INSERT INTO experiments (exp_id, sample_id) VALUES (?, ?)').run('e1', 'x'.repeat(5000));
    const taken = await takeBackup(db, join(workspace, 'benchtop.db'), join(workspace, 'backups'), 'manual');
    expect(() => verifyBackup(taken.path, CENTRAL_SCHEMA_VERSION + 1)).toThrow(/has schema version/);
    // Garbage over the pages after the first: the header still says SQLite, the b-trees are broken.
    const fd = openSync(taken.path, 'r+');
    writeSync(fd, Buffer.alloc(8192, 0x5a), 0, 8192, 4096);
    closeSync(fd);
    expect(() => verifyBackup(taken.path, CENTRAL_SCHEMA_VERSION)).toThrow(/is damaged|cannot be opened/);
    writeFileSync(taken.path, 'not a database at all');
    expect(() => verifyBackup(taken.path, CENTRAL_SCHEMA_VERSION)).toThrow(taken.path);
  });
});
