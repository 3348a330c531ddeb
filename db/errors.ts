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
