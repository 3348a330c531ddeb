import type Database from 'better-sqlite3';
import { DatabaseTooNewError, MigrationError } from './errors';

export interface Migration {
  /** From the file's number prefix: 0003_x.sql is version 3. */
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export interface MigrateOptions {
  /** The database's file, for messages. */
  file: string;
  /** What the database is to the user ("central database"), for messages. */
  label: string;
  /** Called before migrating a database that already holds data, with its current version. */
  backup: (fromVersion: number) => void;
  /** Runs in the migrations' transaction before the first of them (e.g. to drop generated triggers). */
  beforeMigrations?: () => void;
}

export interface MigrateResult {
  from: number;
  to: number;
  applied: string[];
}

export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.reduce((max, m) => Math.max(max, m.version), 0);
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** The database's version, or DatabaseTooNewError when these migrations do not know it. */
export function assertKnownVersion(
  db: Database.Database,
  migrations: readonly Migration[],
  file: string,
  label: string,
): number {
  const version = schemaVersion(db);
  const known = latestVersion(migrations);
  if (version > known) throw new DatabaseTooNewError(file, version, known, label);
  return version;
}

/** Applies every pending migration in one transaction: all of them, or none. */
export function migrate(
  db: Database.Database,
  migrations: readonly Migration[],
  options: MigrateOptions,
): MigrateResult {
  const from = assertKnownVersion(db, migrations, options.file, options.label);
  const pending = migrations.filter((m) => m.version > from).sort((a, b) => a.version - b.version);
  const last = pending.at(-1);
  if (!last) return { from, to: from, applied: [] };

  // A version-0 file with tables was made by the lab's earlier tools: it holds data too.
  if (from > 0 || hasTables(db)) options.backup(from);

  db.transaction(() => {
    options.beforeMigrations?.();
    for (const m of pending) {
      try {
        db.exec(m.sql);
      } catch (error) {
        throw new MigrationError(options.file, m.name, options.label, error);
      }
    }
    db.pragma(`user_version = ${last.version}`);
  }).immediate();
  return { from, to: last.version, applied: pending.map((m) => m.name) };
}

function hasTables(db: Database.Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' LIMIT 1").get() !== undefined;
}
