import { ApiError } from '../shared/errors';

/** A database whose schema is newer than this Benchtop's migrations: opening it could corrupt it. */
export class DatabaseTooNewError extends ApiError {
  constructor(
    readonly file: string,
    readonly version: number,
    readonly knownVersion: number,
    label: string,
  ) {
    super(
      'db_too_new',
      `The ${label} ${file} was written by a newer Benchtop (schema version ${version}; ` +
        `this Benchtop knows up to ${knownVersion}). Update Benchtop, or open another workspace.`,
    );
    this.name = 'DatabaseTooNewError';
  }
}

/** A migration that failed; the transaction it ran in was rolled back, so the file is as it was. */
export class MigrationError extends ApiError {
  constructor(
    readonly file: string,
    readonly migration: string,
    label: string,
    override readonly cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      'internal',
      `Could not upgrade the ${label} ${file}: migration ${migration} failed (${reason}). ` +
        'Nothing was changed.',
    );
    this.name = 'MigrationError';
  }
}

/** better-sqlite3's error code (`SQLITE_BUSY`, `SQLITE_FULL`, …) or Node's (`ENOSPC`), if any. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Another connection held the lock past the busy timeout: the same request succeeds a moment later. */
export function isBusy(error: unknown): boolean {
  const code = errorCode(error) ?? '';
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}

export function isDiskFull(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'SQLITE_FULL' || code === 'ENOSPC';
}

/**
 * What a failed database call means to the user, when SQLite says why: busy, read-only or disk full
 * (the file named, as SQLite's own message does not); null for anything else.
 */
export function databaseError(error: unknown, file: string, readOnlyReason: string | null): ApiError | null {
  if (isBusy(error)) return new ApiError('busy', `The database ${file} is busy with another task; try again in a moment.`);
  if (isDiskFull(error)) return new ApiError('io_error', `The database ${file} could not be written: the disk is full. Free some space and try again.`);
  if ((errorCode(error) ?? '').startsWith('SQLITE_READONLY')) {
    const why = readOnlyReason ?? 'the file cannot be written';
    return new ApiError('read_only', `This workspace is read-only (${why}): the database ${file} cannot be changed.`);
  }
  return null;
}
