import type Database from 'better-sqlite3';
import { latestVersion } from './migrate';
import { centralMigrations } from './migrations';
import { openDatabase } from './open';

export const CENTRAL_SCHEMA_VERSION = latestVersion(centralMigrations);

/** The workspace's central database: experiments, libraries, lookups, runs and jobs. */
export function openCentralDb(file: string, options: { backupDir: string }): Database.Database {
  return openDatabase(file, {
    migrations: centralMigrations,
    backupDir: options.backupDir,
    synchronous: 'FULL',
    label: 'central database',
  });
}
