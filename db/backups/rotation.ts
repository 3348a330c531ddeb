import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseBackupName, type BackupReason } from './names';

export interface RotationPolicy {
  /** Copies of today kept, newest first (default 3). */
  keepToday: number;
  /** Days (today included) for which the newest copy of the day is kept (default 14). */
  keepDays: number;
}

export const DEFAULT_ROTATION: RotationPolicy = { keepToday: 3, keepDays: 14 };

export interface RotatableBackup {
  file: string;
  /** Which database it copies: copies of different databases never count against each other. */
  base: string;
  at: Date;
  reason: BackupReason;
}

/** Reasons whose copies are kept for the whole keepDays window: each one precedes a change that cannot be undone otherwise. */
const ALWAYS_KEPT_IN_WINDOW = new Set<BackupReason>(['migration', 'pre-restore']);

function localDay(date: Date): string {
  return `${date.getFullYear()}-${date.getMonth() + 1}-${date.getDate()}`;
}

/** Local midnight `days` days before `now`'s day. */
function dayStart(now: Date, daysBack: number): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() - daysBack);
}

/**
 * Which backups the policy deletes, per database: it keeps the newest `keepToday` of today, the
 * newest of each of the last `keepDays` days, and every migration and pre-restore copy of those
 * days; everything older than the window goes. A copy dated in the future (a clock set back) is kept.
 */
export function backupsToDelete<T extends RotatableBackup>(backups: readonly T[], now: Date, policy: RotationPolicy): T[] {
  const windowStart = dayStart(now, Math.max(policy.keepDays, 1) - 1);
  const today = localDay(now);
  const byBase = new Map<string, T[]>();
  for (const b of backups) byBase.set(b.base, [...(byBase.get(b.base) ?? []), b]);
  const doomed: T[] = [];
  for (const group of byBase.values()) {
    const newestFirst = [...group].sort((a, b) => b.at.getTime() - a.at.getTime());
    const keptDays = new Set<string>();
    let keptToday = 0;
    for (const b of newestFirst) {
      if (b.at.getTime() > now.getTime()) continue;
      if (b.at < windowStart) {
        doomed.push(b);
        continue;
      }
      const day = localDay(b.at);
      let keep = ALWAYS_KEPT_IN_WINDOW.has(b.reason);
      if (day === today && keptToday < policy.keepToday) {
        keptToday++;
        keep = true;
      }
      if (!keptDays.has(day)) {
        keptDays.add(day);
        keep = true;
      }
      if (!keep) doomed.push(b);
    }
  }
  return doomed;
}

/** The backups in `dir` (not its subfolders) that carry one of Benchtop's backup names. */
export function backupsIn(dir: string): RotatableBackup[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const found: RotatableBackup[] = [];
  for (const name of names) {
    const parsed = parseBackupName(name);
    if (parsed) found.push({ file: join(dir, name), ...parsed });
  }
  return found;
}

/** Applies the policy to the backups in `dir`; returns the files deleted. */
export function rotateBackups(dir: string, policy: RotationPolicy, now = new Date()): string[] {
  const doomed = backupsToDelete(backupsIn(dir), now, policy);
  for (const b of doomed) rmSync(b.file, { force: true });
  return doomed.map((b) => b.file);
}
