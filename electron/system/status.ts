import { readdirSync, statSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { SystemStatus } from '../../shared/schemas/system';
import type { Workspace } from '../workspace/workspace';

/** A SQLite database on disk is the file plus its WAL. */
export function databaseBytes(file: string): number {
  return [file, `${file}-wal`].reduce((sum, f) => sum + sizeOrZero(f), 0);
}

function sizeOrZero(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function readsDatabases(readsDir: string): string[] {
  try {
    return readdirSync(readsDir)
      .filter((f) => /^SMA_.+\.db$/.test(f))
      .map((f) => join(readsDir, f));
  } catch {
    return [];
  }
}

function count(db: Database.Database, sql: string): number {
  return (db.prepare(sql).pluck().get() as number | undefined) ?? 0;
}

export function systemStatus(workspace: Workspace, startedAt: Date): SystemStatus {
  const { layout, db } = workspace;
  const reads = readsDatabases(layout.readsDir);
  const disk = statfsSync(layout.path);
  return {
    workspace: layout.path,
    centralDbBytes: databaseBytes(layout.centralDb),
    readsDbBytes: reads.reduce((sum, f) => sum + databaseBytes(f), 0),
    readsDbCount: reads.length,
    diskFreeBytes: disk.bavail * disk.bsize,
    diskTotalBytes: disk.blocks * disk.bsize,
    activeJobs: count(db, "SELECT COUNT(*) FROM jobs WHERE status IN ('pending', 'starting', 'running')"),
    totalRuns: count(db, 'SELECT COUNT(*) FROM runs'),
    uptimeSeconds: (Date.now() - startedAt.getTime()) / 1000,
    startedAt: startedAt.toISOString(),
  };
}
