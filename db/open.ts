import { mkdirSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import Database from 'better-sqlite3';
import { backupDatabase } from './backup';
import { ApiError } from '../shared/errors';
import { assertKnownVersion, migrate, type Migration } from './migrate';

export interface OpenOptions {
  migrations: readonly Migration[];
  /** Where a copy is taken before migrating a database that holds data; without it, none is. */
  backupDir?: string;
  synchronous: 'FULL' | 'NORMAL';
  /** What the database is to the user ("central database"), for messages. */
  label: string;
}

/** Opens (creating if need be) and migrates a database; a newer Benchtop's file is refused untouched. */
export function openDatabase(file: string, options: OpenOptions): Database.Database {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('busy_timeout = 5000');
    // Before WAL, which rewrites the file's header.
    assertKnownVersion(db, options.migrations, file, options.label);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`synchronous = ${options.synchronous}`);
    const { backupDir } = options;
    migrate(db, options.migrations, {
      file,
      label: options.label,
      backup: (fromVersion) => {
        if (backupDir !== undefined) backupDatabase(db, join(backupDir, backupFileName(file, fromVersion)));
      },
    });
    return db;
  } catch (error) {
    db.close();
    const code = (error as { code?: unknown }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new ApiError('io_error', `The ${options.label} ${file} is not a readable SQLite database (${(error as Error).message}). Restore it from backups/, or open another workspace.`);
    }
    throw error;
  }
}

function backupFileName(file: string, fromVersion: number): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, ''); // 20250131T142501.123Z
  return `${basename(file, extname(file))}-v${fromVersion}-${stamp}.db`;
}
