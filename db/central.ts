import type Database from 'better-sqlite3';
import { latestVersion } from './migrate';
import { centralMigrations } from './migrations';
import { openDatabase, openDatabaseOrReadOnly, type OpenedDatabase, type OpenOptions } from './open';

export const CENTRAL_SCHEMA_VERSION = latestVersion(centralMigrations);

function centralOptions(backupDir: string): OpenOptions {
  return { migrations: centralMigrations, backupDir, synchronous: 'FULL', label: 'central database' };
}

/** The workspace's central database: experiments, libraries, lookups, runs and jobs. */
export function openCentralDb(file: string, options: { backupDir: string }): Database.Database {
  return openDatabase(file, centralOptions(options.backupDir));
}

/** The central database, read-only (with the reason) where it cannot be written. */
export function openCentralDbOrReadOnly(file: string, options: { backupDir: string }): OpenedDatabase {
  return openDatabaseOrReadOnly(file, centralOptions(options.backupDir));
}
