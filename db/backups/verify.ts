import Database from 'better-sqlite3';
import { ApiError } from '../../shared/errors';

/**
 * A copy is good when SQLite opens it read-only, `PRAGMA integrity_check` says ok and its schema
 * version is the one copied. Throws an ApiError naming the file and what is wrong.
 */
export function verifyBackup(file: string, expectedVersion: number): void {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new ApiError('io_error', `The backup ${file} cannot be opened: ${(error as Error).message}.`);
  }
  try {
    let problems: string[];
    try {
      problems = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
    } catch (error) {
      throw new ApiError('io_error', `The backup ${file} is damaged: ${(error as Error).message}.`);
    }
    if (problems.length !== 1 || problems[0] !== 'ok') {
      throw new ApiError('io_error', `The backup ${file} is damaged: ${problems.slice(0, 3).join('; ')}.`);
    }
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version !== expectedVersion) {
      throw new ApiError('io_error', `The backup ${file} has schema version ${version}, not ${expectedVersion} as the database it copies.`);
    }
  } finally {
    db.close();
  }
}

/**
 * A copy inherits WAL mode from its source; a backup is a single file, so it goes back to a rollback
 * journal (opening it read-only later then leaves no -wal or -shm beside it).
 */
export function makeSingleFile(file: string): void {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}
