import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type Database from 'better-sqlite3';
import { backupDatabase } from '../backup';
import { ApiError } from '../../shared/errors';
import { backupFileName, type BackupReason } from './names';
import { makeSingleFile, verifyBackup } from './verify';

export interface TakenBackup {
  path: string;
  bytes: number;
  reason: BackupReason;
  at: string;
}

/** `benchtop` for benchtop.db, `SMA_<exp>` for a reads database. */
export function databaseBase(file: string): string {
  return basename(file, extname(file));
}

function targetFor(dir: string, source: string, reason: BackupReason, now: Date): { path: string; at: Date } {
  mkdirSync(dir, { recursive: true });
  // Two copies within the same millisecond get the next one: names never collide, and still sort.
  let at = now;
  while (existsSync(join(dir, backupFileName(databaseBase(source), at, reason)))) at = new Date(at.getTime() + 1);
  return { path: join(dir, backupFileName(databaseBase(source), at, reason)), at };
}

/** Verifies the partial copy and gives it its name, or deletes it and says why. */
function keepIfGood(partial: string, path: string, version: number, reason: BackupReason, at: Date): TakenBackup {
  try {
    makeSingleFile(partial);
    verifyBackup(partial, version);
  } catch (error) {
    rmSync(partial, { force: true });
    const message = error instanceof Error ? error.message : String(error);
    throw new ApiError('io_error', `The backup ${path} failed its check and was deleted: ${message.replace(`${partial}`, 'the copy')}`);
  }
  renameSync(partial, path);
  return { path, bytes: statSync(path).size, reason, at: at.toISOString() };
}

/**
 * An online copy (SQLite's backup API, in steps, so the event loop keeps running) of the database
 * open as `db` from file `source` into `dir`, verified before it gets its final name.
 */
export async function takeBackup(db: Database.Database, source: string, dir: string, reason: BackupReason, now = new Date()): Promise<TakenBackup> {
  const { path, at } = targetFor(dir, source, reason, now);
  const partial = `${path}.partial`;
  const version = db.pragma('user_version', { simple: true }) as number;
  try {
    await db.backup(partial);
  } catch (error) {
    rmSync(partial, { force: true });
    throw new ApiError('io_error', `Could not write the backup ${path}: ${(error as Error).message}`);
  }
  return keepIfGood(partial, path, version, reason, at);
}

/**
 * The same, in one synchronous statement (VACUUM INTO): for the moments nothing else may write
 * between the copy and what follows it (a migration, an import).
 */
export function takeBackupSync(db: Database.Database, source: string, dir: string, reason: BackupReason, now = new Date()): TakenBackup {
  const { path, at } = targetFor(dir, source, reason, now);
  const partial = `${path}.partial`;
  const version = db.pragma('user_version', { simple: true }) as number;
  rmSync(partial, { force: true });
  backupDatabase(db, partial);
  return keepIfGood(partial, path, version, reason, at);
}
