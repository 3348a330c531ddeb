import type Database from 'better-sqlite3';
import { actorName, attachAuditSession } from './audit/session';
import { dropAuditTriggers, ensureAuditTriggers } from './audit/triggers';
import { latestVersion } from './migrate';
import { centralMigrations } from './migrations';
import { openDatabase, openDatabaseOrReadOnly, type OpenedDatabase, type OpenOptions } from './open';

export const CENTRAL_SCHEMA_VERSION = latestVersion(centralMigrations);

function centralOptions(backupDir: string | undefined): OpenOptions {
  return {
    migrations: centralMigrations,
    ...(backupDir !== undefined ? { backupDir } : {}),
    synchronous: 'FULL',
    label: 'central database',
    // A migration's own row changes are not audited, and a trigger naming a column would stop it dropping that column.
    beforeMigrations: dropAuditTriggers,
  };
}

/**
 * The workspace's central database: experiments, libraries, lookups, runs and jobs. Every change to
 * it is audited by triggers; this connection's changes carry `actor` (default: the user, via benchtop).
 */
export function openCentralDb(file: string, options: { backupDir?: string; actor?: string }): Database.Database {
  return withAudit(openDatabase(file, centralOptions(options.backupDir)), options.actor);
}

/** The central database, read-only (with the reason) where it cannot be written. */
export function openCentralDbOrReadOnly(file: string, options: { backupDir: string; actor?: string }): OpenedDatabase {
  const opened = openDatabaseOrReadOnly(file, centralOptions(options.backupDir));
  // A read-only connection changes no row: its triggers cannot be (re)created, nor are they needed.
  return { db: withAudit(opened.db, options.actor, opened.readOnly === null), readOnly: opened.readOnly };
}

function withAudit(db: Database.Database, actor: string | undefined, writable = true): Database.Database {
  try {
    if (writable) ensureAuditTriggers(db);
    attachAuditSession(db, actor ?? actorName('benchtop'));
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
