import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { ApiError } from '../shared/errors';
import { latestVersion } from './migrate';
import { readsMigrations } from './migrations';
import { openDatabase } from './open';

export const READS_SCHEMA_VERSION = latestVersion(readsMigrations);

/**
 * One experiment's per-read database. Its rows can be rebuilt by ingesting again, so
 * synchronous=NORMAL: a power cut may lose the last commits, but never corrupts the file.
 */
export function openReadsDb(file: string, options: { backupDir?: string } = {}): Database.Database {
  return openDatabase(file, {
    migrations: readsMigrations,
    backupDir: options.backupDir ?? workspaceReadsBackups(file),
    synchronous: 'NORMAL',
    label: 'reads database',
  });
}

/** A reads database in a workspace's reads/ folder gets its pre-migration copy in that workspace's backups/reads/. */
function workspaceReadsBackups(file: string): string | undefined {
  const folder = dirname(resolve(file));
  const workspace = dirname(folder);
  return basename(folder) === 'reads' && existsSync(join(workspace, 'benchtop.db')) ? join(workspace, 'backups', 'reads') : undefined;
}

/** `SMA_<expId>.db`, for an experiment id that cannot leave the reads folder. */
export function readsDbFileName(expId: string): string {
  if (!/^[A-Za-z0-9._-]{1,200}$/.test(expId) || expId.startsWith('.')) {
    throw new ApiError(
      'invalid_request',
      `Experiment id ${JSON.stringify(expId)} cannot name a reads database: use 1-200 letters, ` +
        'digits, ".", "_" or "-", not starting with ".".',
    );
  }
  return `SMA_${expId}.db`;
}
