import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach } from 'vitest';
import { openCentralDb } from './central';

/** Temp folders and open databases for a test file; closed and removed after each test. */
export function scratch() {
  const dirs: string[] = [];
  const dbs: Database.Database[] = [];
  afterEach(() => {
    for (const db of dbs.splice(0)) if (db.open) db.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function dir(): string {
    const path = mkdtempSync(join(tmpdir(), 'benchtop-db-'));
    dirs.push(path);
    return path;
  }
  function keep(db: Database.Database): Database.Database {
    dbs.push(db);
    return db;
  }
  /** A central database in a workspace-like folder: <dir>/benchtop.db, backups in <dir>/backups. */
  function central(workspace = dir()): Database.Database {
    return keep(openCentralDb(join(workspace, 'benchtop.db'), { backupDir: join(workspace, 'backups') }));
  }
  return { dir, keep, central };
}

export function columnNames(db: Database.Database, table: string): string[] {
  return db.prepare('SELECT name FROM pragma_table_info(?) ORDER BY cid').pluck().all(table) as string[];
}

export function indexNames(db: Database.Database): string[] {
  return db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
    .pluck()
    .all() as string[];
}

export function count(db: Database.Database, table: string): number {
  return db.prepare(`SELECT COUNT(*) FROM "${table}"`).pluck().get() as number;
}
