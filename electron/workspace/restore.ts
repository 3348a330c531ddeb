import { copyFileSync, existsSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { openCentralDb } from '../../db/central';
import { parseBackupName } from '../../db/backups/names';
import { takeBackupSync, type TakenBackup } from '../../db/backups/take';
import { openReadsDb, readsDbFileName } from '../../db/reads';
import { schemaVersion } from '../../db/migrate';
import { ApiError } from '../../shared/errors';
import { readsBackupsDir } from './backups';
import type { WorkspaceLayout } from './layout';

export interface RestoreTarget {
  database: 'central' | 'reads';
  expId: string | null;
  /** The database file the backup replaces. */
  file: string;
  backupsDir: string;
}

/** Which database a backup belongs to, from its name: `benchtop-…` the central one, `SMA_<exp>-…` a reads one. */
export function restoreTarget(layout: WorkspaceLayout, backup: string): RestoreTarget {
  const parsed = parseBackupName(basename(backup));
  const base = parsed?.base ?? basename(backup).replace(/\.db$/, '');
  const reads = /^SMA_(.+)$/.exec(base);
  if (reads) {
    const expId = reads[1]!;
    return { database: 'reads', expId, file: join(layout.readsDir, readsDbFileName(expId)), backupsDir: readsBackupsDir(layout) };
  }
  return { database: 'central', expId: null, file: layout.centralDb, backupsDir: layout.backupsDir };
}

/** The tables that tell a central database from a reads one (restoring one over the other would be nonsense). */
const MARKER_TABLE = { central: 'library_specs', reads: 'reads' } as const;

/** Opens the backup read-only and checks it: a SQLite file, undamaged, a database of the target's kind. */
export function checkBackupFile(file: string, target: RestoreTarget): void {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new ApiError('io_error', `${file} cannot be opened as a database: ${(err as Error).message}.`);
  }
  try {
    let result: string[];
    try {
      result = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
    } catch (err) {
      throw new ApiError('io_error', `${file} is not a usable backup: ${(err as Error).message}.`);
    }
    if (result[0] !== 'ok') throw new ApiError('io_error', `${file} is damaged (${result.slice(0, 3).join('; ')}): it cannot be restored.`);
    const marker = MARKER_TABLE[target.database];
    if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(marker)) {
      const what = target.database === 'central' ? 'a central database (benchtop.db)' : `a reads database (${basename(target.file)})`;
      throw new ApiError('invalid_request', `${file} is not a copy of ${what}: it has no ${marker} table.`);
    }
  } finally {
    db.close();
  }
}

/**
 * SQLite removes a database's -wal and -shm when its last read-write connection closes (a read-only
 * one, such as a reads query's, leaves them; the pre-restore copy's connection, read-write, has just
 * closed). Any left means another program has it open: its WAL could hold changes the swap would
 * lose or mix in.
 */
function assertClosedEverywhere(file: string): void {
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(file + suffix)) {
      throw new ApiError(
        'conflict',
        `${file} is still open in another program (another Benchtop, benchtop serve, an ingest or the sqlite3 shell): close it, then restore.`,
      );
    }
  }
}

/** Opens the candidate with the normal open path (migrating it), checks it again, and closes it as one file. */
function prepareCandidate(candidate: string, target: RestoreTarget): number {
  const db = target.database === 'central' ? openCentralDb(candidate, {}) : openReadsDb(candidate);
  try {
    const check = (db.pragma('integrity_check') as { integrity_check: string }[])[0]?.integrity_check;
    if (check !== 'ok') throw new ApiError('io_error', `The restored copy failed its check after migrating: ${check}.`);
    db.pragma('wal_checkpoint(TRUNCATE)');
    return schemaVersion(db);
  } finally {
    db.close();
  }
}

export interface RestoreSteps {
  target: RestoreTarget;
  /** The backup to restore, already resolved. */
  backup: string;
  /** A verified copy of the database as it is now (null: it does not exist yet). */
  takePreRestore: () => TakenBackup | null;
  /** Closes every connection of this Benchtop to the target. */
  close: () => void;
  /** Opens the target again (also after a rollback); throws if it cannot. */
  reopen: () => void;
}

/**
 * Swaps a backup in for a database: a pre-restore copy first; the backup is copied beside the
 * database, opened, checked and migrated there, then renamed over it in one step. If anything fails
 * the database is as it was: before the swap nothing of it changed, after it the pre-restore copy
 * is put back the same way.
 */
export function restoreDatabase(steps: RestoreSteps): { preRestore: string; schemaVersion: number } {
  const { target } = steps;
  checkBackupFile(steps.backup, target);
  const preRestore = steps.takePreRestore();
  const candidate = join(dirname(target.file), `.${basename(target.file)}.restoring-${process.pid}.db`);
  const removeCandidate = () => {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(candidate + suffix, { force: true });
  };
  let version: number;
  try {
    removeCandidate();
    copyFileSync(steps.backup, candidate);
    version = prepareCandidate(candidate, target);
  } catch (err) {
    removeCandidate();
    const reason = (err as Error).message.replaceAll(candidate, 'the copy');
    throw new ApiError(err instanceof ApiError ? err.code : 'io_error', `${steps.backup} cannot be restored: ${reason} ${target.file} is unchanged.`);
  }
  let swapped = false;
  try {
    steps.close();
    assertClosedEverywhere(target.file);
    renameSync(candidate, target.file);
    swapped = true;
    steps.reopen();
  } catch (err) {
    removeCandidate();
    if (swapped && preRestore) rollBack(preRestore.path, target);
    try {
      steps.reopen();
    } catch (reopenErr) {
      throw new ApiError('internal', `Restoring ${steps.backup} failed (${(err as Error).message}), and ${target.file} could not be opened again: ${(reopenErr as Error).message}`);
    }
    throw err;
  }
  return { preRestore: preRestore?.path ?? '', schemaVersion: version };
}

function rollBack(preRestore: string, target: RestoreTarget): void {
  const back = join(dirname(target.file), `.${basename(target.file)}.rollback-${process.pid}.db`);
  copyFileSync(preRestore, back);
  for (const suffix of ['-wal', '-shm']) rmSync(target.file + suffix, { force: true });
  renameSync(back, target.file);
}

/** The backup's real path; it must be a file. */
export function resolveBackupFile(file: string): string {
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    throw new ApiError('not_found', `There is no backup ${file}.`);
  }
  if (!statSync(real).isFile()) throw new ApiError('invalid_request', `${file} is not a file: choose a backup file.`);
  return real;
}

export function preRestoreCopy(target: RestoreTarget, db: Database.Database | null): TakenBackup | null {
  if (db) return takeBackupSync(db, target.file, target.backupsDir, 'pre-restore');
  if (!existsSync(target.file)) return null;
  const own = openReadsDb(target.file);
  try {
    return takeBackupSync(own, target.file, target.backupsDir, 'pre-restore');
  } finally {
    own.close();
  }
}
