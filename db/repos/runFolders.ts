import type Database from 'better-sqlite3';

/** Every run id of the workspace: what a folder under runs/ is checked against. */
export function recordedRunIds(db: Database.Database): Set<string> {
  return new Set(db.prepare('SELECT id FROM runs').pluck().all() as string[]);
}
