import type Database from 'better-sqlite3';
import { actorName, attachAuditSession } from './audit/session';
import { dropAuditTriggers, ensureAuditTriggers } from './audit/triggers';
import { latestVersion } from './migrate';
import { centralMigrations } from './migrations';
import { openDatabase } from './open';

export const CENTRAL_SCHEMA_VERSION = latestVersion(centralMigrations);

/**
 * The workspace's central database: experiments, libraries, lookups, runs and jobs. Every change to
 * it is audited by triggers; this connection's changes carry `actor` (default: the user, via benchtop).
 */
export function openCentralDb(file: string, options: { backupDir?: string; actor?: string }): Database.Database {
  const db = openDatabase(file, {
    migrations: centralMigrations,
    backupDir: options.backupDir,
    synchronous: 'FULL',
    label: 'central database',
    // A migration's own row changes are not audited, and a trigger naming a column would stop it dropping that column.
    beforeMigrations: dropAuditTriggers,
  });
  try {
    ensureAuditTriggers(db);
    attachAuditSession(db, options.actor ?? actorName('benchtop'));
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
