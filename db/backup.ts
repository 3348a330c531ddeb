import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { ApiError } from '../shared/errors';

/** A consistent copy of an open database (WAL included) into a new file `to`. */
export function backupDatabase(db: Database.Database, to: string): { path: string; bytes: number } {
  if (existsSync(to)) throw new ApiError('conflict', `${to} already exists; choose another file for the backup.`);
  try {
    mkdirSync(dirname(to), { recursive: true });
    db.prepare('VACUUM INTO ?').run(to);
  } catch (error) {
    throw new ApiError('io_error', `Could not write the backup ${to}: ${(error as Error).message}`);
  }
  return { path: to, bytes: statSync(to).size };
}
