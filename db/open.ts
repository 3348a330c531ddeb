import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { takeBackupSync } from './backups/take';
import { ApiError } from '../shared/errors';
import { assertKnownVersion, migrate, type Migration } from './migrate';

export interface OpenOptions {
  migrations: readonly Migration[];
  /** Where a copy is taken before migrating a database that holds data; without it, none is. */
  backupDir?: string;
  synchronous: 'FULL' | 'NORMAL';
  /** What the database is to the user ("central database"), for messages. */
  label: string;
  /** Runs in the migrations' transaction before the first of them. */
  beforeMigrations?: (db: Database.Database) => void;
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
    const { backupDir, beforeMigrations } = options;
    migrate(db, options.migrations, {
      file,
      label: options.label,
      backup: () => {
        // Synchronous and verified: the migration starts only once a good copy exists.
        if (backupDir !== undefined) takeBackupSync(db, file, backupDir, 'migration');
      },
      ...(beforeMigrations ? { beforeMigrations: () => beforeMigrations(db) } : {}),
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
