import { accessSync, constants, existsSync, mkdirSync, statSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { takeBackupSync } from './backups/take';
import { describeBackups } from './backups/describe';
import { ApiError } from '../shared/errors';
import { errorCode, isDiskFull } from './errors';
import { assertKnownVersion, latestVersion, migrate, schemaVersion, type Migration } from './migrate';

// better-sqlite3 reads SQLITE_USE_URI once, when its addon loads at the first connection. URI file
// names are the only way to pass `immutable=1`, which a WAL database on read-only media needs when
// its -shm file is missing and cannot be created.
process.env.SQLITE_USE_URI ??= '1';

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

/** A database opened read-write, or read-only with the reason it cannot be written. */
export interface OpenedDatabase {
  db: Database.Database;
  readOnly: string | null;
}

const DISK_FULL = 'the disk is full';

/** Below this much free space a failed open is taken for a full disk (SQLite calls it an I/O error). */
const NEARLY_FULL_BYTES = 1024 * 1024;

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
    throw notADatabase(error, file, options) ?? error;
  }
}

/**
 * As openDatabase, but a database that cannot be written (a read-only folder, disk or file, or a
 * full disk) is opened read-only instead, unmigrated, so the workspace can still be browsed.
 */
export function openDatabaseOrReadOnly(file: string, options: OpenOptions): OpenedDatabase {
  const refused = unwritableReason(file);
  if (refused !== null) return { db: openReadOnly(file, options, refused), readOnly: refused };
  try {
    return { db: openDatabase(file, options), readOnly: null };
  } catch (error) {
    const reason = readOnlyReason(error, file);
    if (reason === null) throw error;
    if (!existsSync(file)) throw new ApiError('io_error', `Could not create the ${options.label} ${file}: ${reason}.`);
    return { db: openReadOnly(file, options, reason), readOnly: reason };
  }
}

/** Why the database (or its folder) cannot be written, checked before SQLite tries; null if it can. */
export function unwritableReason(file: string): string | null {
  const dir = dirname(file);
  for (const target of existsSync(file) ? [dir, file] : [dir]) {
    try {
      accessSync(target, constants.W_OK);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'EROFS') return `${target} is on a disk mounted read-only`;
      if (code === 'EACCES' || code === 'EPERM') return `you may not write to ${target}`;
      if (code === 'ENOENT') return null; // created on open
      return `${target} cannot be written (${(error as Error).message})`;
    }
  }
  return null;
}

/** An error from opening read-write that opening read-only gets around, said as a reason; else null. */
function readOnlyReason(error: unknown, file: string): string | null {
  const code = errorCode(error) ?? '';
  if (isDiskFull(error) || (code.startsWith('SQLITE_IOERR') && freeBytes(dirname(file)) < NEARLY_FULL_BYTES)) return DISK_FULL;
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'EROFS' || code === 'EACCES') {
    return `${file} cannot be written`;
  }
  return null;
}

function freeBytes(dir: string): number {
  try {
    const fs = statfsSync(dir);
    return fs.bavail * fs.bsize;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

function openReadOnly(file: string, options: OpenOptions, reason: string): Database.Database {
  if (!existsSync(file)) {
    throw new ApiError('read_only', `The ${options.label} ${file} does not exist and cannot be created: ${reason}.`);
  }
  let db: Database.Database | null = null;
  try {
    db = openReadOnlyConnection(file, `${options.label} ${file}`);
    db.pragma('busy_timeout = 5000');
    assertKnownVersion(db, options.migrations, file, options.label);
    const version = schemaVersion(db);
    const latest = latestVersion(options.migrations);
    if (version < latest) {
      throw new ApiError(
        'read_only',
        `The ${options.label} ${file} needs upgrading (schema version ${version} to ${latest}), but it cannot be written: ${reason}. ` +
          'Open it once where it can be written, or with the Benchtop that wrote it.',
      );
    }
    db.pragma('foreign_keys = ON');
    return db;
  } catch (error) {
    if (db?.open) db.close();
    throw notADatabase(error, file, options) ?? error;
  }
}

/**
 * A read-only connection, also where a WAL database's -shm file is missing and cannot be made (a
 * read-only disk or folder) or cannot grow (a full disk): then the file is read alone
 * (`immutable=1`). That would hide changes still in its -wal file, so such a database is refused.
 */
export function openReadOnlyConnection(file: string, what = `database ${file}`): Database.Database {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    schemaVersion(db); // the file is only opened by the first statement
    return db;
  } catch (error) {
    db.close();
    const code = errorCode(error) ?? '';
    // CANTOPEN on read-only media, READONLY_DIRECTORY in a folder the user may not write, IOERR on a full disk.
    if (!['SQLITE_CANTOPEN', 'SQLITE_READONLY', 'SQLITE_IOERR'].some((c) => code.startsWith(c))) throw error;
  }
  return new Database(readOnlyFileName(file, what), { readonly: true });
}

/** The name to open or ATTACH a database read-only by: its path, or where it cannot be written, an immutable file: URI. */
export function readOnlyName(file: string): string {
  return unwritableReason(file) === null ? file : readOnlyFileName(file);
}

/** The name to open or ATTACH a database by where its -shm file cannot be made: a file: URI with immutable=1. */
export function readOnlyFileName(file: string, what = `database ${file}`): string {
  const wal = `${file}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0) {
    throw new ApiError('read_only', `The ${what} cannot be opened read-only here: its last changes are still in ${wal}. Open it once where it can be written.`);
  }
  return `${pathToFileURL(file).href}?immutable=1`;
}

function notADatabase(error: unknown, file: string, options: OpenOptions): ApiError | null {
  const code = errorCode(error);
  if (code !== 'SQLITE_NOTADB' && code !== 'SQLITE_CORRUPT') return null;
  const next = options.backupDir === undefined ? 'Open another workspace.' : describeBackups(options.backupDir, file);
  return new ApiError('io_error', `The ${options.label} ${file} is not a readable SQLite database (${(error as Error).message}). ${next}`);
}
