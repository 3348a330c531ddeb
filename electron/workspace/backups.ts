import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parseBackupName, type BackupReason } from '../../db/backups/names';
import { backupsIn, DEFAULT_ROTATION, rotateBackups, type RotationPolicy } from '../../db/backups/rotation';
import { takeBackup, takeBackupSync, type TakenBackup } from '../../db/backups/take';
import type { BackupEntry } from '../../shared/ops/db';
import type { WorkspaceLayout } from './layout';
import { readSettings } from './settings';
import type { Workspace } from './workspace';

/** How old the newest copy of a database may be before start-up takes a daily one. */
const DAY_MS = 24 * 60 * 60 * 1000;

/** Where a reads database's copies go: beside the central ones, in their own folder. */
export function readsBackupsDir(layout: WorkspaceLayout): string {
  return join(layout.backupsDir, 'reads');
}

/** settings.json's `backupKeepToday` and `backupKeepDays`, whole numbers ≥ 1; anything else means the default. */
export function rotationPolicy(configDir: string): RotationPolicy {
  const settings = readSettings(configDir);
  const pick = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : fallback);
  return { keepToday: pick(settings.backupKeepToday, DEFAULT_ROTATION.keepToday), keepDays: pick(settings.backupKeepDays, DEFAULT_ROTATION.keepDays) };
}

/** The reads databases of the workspace: reads/SMA_<exp>.db. */
export function readsDatabases(layout: WorkspaceLayout): { expId: string; file: string }[] {
  let names: string[];
  try {
    names = readdirSync(layout.readsDir);
  } catch {
    return [];
  }
  return names
    .map((name) => /^SMA_(.+)\.db$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ expId: m[1]!, file: join(layout.readsDir, m[0]) }))
    .sort((a, b) => a.expId.localeCompare(b.expId));
}

/** Every backup of the workspace's databases, newest first. */
export function listBackups(layout: WorkspaceLayout): BackupEntry[] {
  const entries: BackupEntry[] = [];
  for (const [dir, database] of [
    [layout.backupsDir, 'central'],
    [readsBackupsDir(layout), 'reads'],
  ] as const) {
    for (const b of backupsIn(dir)) {
      const expId = database === 'reads' ? (/^SMA_(.+)$/.exec(b.base)?.[1] ?? null) : null;
      if (database === 'central' ? b.base !== 'benchtop' : expId === null) continue;
      const name = b.file.slice(dir.length + 1);
      let bytes: number;
      try {
        bytes = statSync(b.file).size;
      } catch {
        continue;
      }
      // A copy gets its final name only after its check; the older `-v<N>-` migration copies had none.
      const verified = parseBackupName(name) !== null && !/-v\d+-/.test(name);
      entries.push({ path: b.file, name, database, expId, reason: b.reason, at: b.at.toISOString(), bytes, verified });
    }
  }
  return entries.sort((a, b) => b.at.localeCompare(a.at) || a.name.localeCompare(b.name));
}

let onlineCopies = 0;

/** Online copies being written now: closing their database under them (a restore) must wait. */
export function onlineBackupsRunning(): number {
  return onlineCopies;
}

async function online(db: Database.Database, file: string, dir: string, reason: BackupReason): Promise<TakenBackup> {
  onlineCopies++;
  try {
    return await takeBackup(db, file, dir, reason);
  } finally {
    onlineCopies--;
  }
}

/** An online copy of one reads database, through a read-only connection of its own. */
async function backupReadsDb(file: string, dir: string, reason: BackupReason): Promise<TakenBackup> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return await online(db, file, dir, reason);
  } finally {
    db.close();
  }
}

/** When the database file (or its WAL) was last written. */
function lastWritten(file: string): number {
  let latest = 0;
  for (const f of [file, `${file}-wal`]) {
    try {
      latest = Math.max(latest, statSync(f).mtimeMs);
    } catch {
      // no WAL: only the file counts
    }
  }
  return latest;
}

/** The central database and every reads database, copied online and verified, then rotated. */
export async function backupWorkspace(ws: Workspace, reason: BackupReason, policy: RotationPolicy): Promise<{ central: TakenBackup; reads: TakenBackup[] }> {
  const central = await online(ws.db, ws.layout.centralDb, ws.layout.backupsDir, reason);
  const reads: TakenBackup[] = [];
  for (const r of readsDatabases(ws.layout)) reads.push(await backupReadsDb(r.file, readsBackupsDir(ws.layout), reason));
  rotateWorkspaceBackups(ws.layout, policy);
  return { central, reads };
}

export function rotateWorkspaceBackups(layout: WorkspaceLayout, policy: RotationPolicy): void {
  rotateBackups(layout.backupsDir, policy);
  rotateBackups(readsBackupsDir(layout), policy);
}

function newestCopy(dir: string, base: string): number {
  return Math.max(0, ...backupsIn(dir).filter((b) => b.base === base).map((b) => b.at.getTime()));
}

/**
 * Start-up's daily copies: each database whose newest copy is older than a day (or that has none)
 * gets one. Failures are reported, one per database, and never stop the others.
 */
export async function dailyBackups(ws: () => Workspace, policy: RotationPolicy, report: (message: string) => void, now = Date.now()): Promise<TakenBackup[]> {
  const taken: TakenBackup[] = [];
  const workspace = ws();
  const stale = (dir: string, base: string) => now - newestCopy(dir, base) > DAY_MS;
  const attempt = async (label: string, fn: () => Promise<TakenBackup>) => {
    try {
      taken.push(await fn());
    } catch (err) {
      report(`Benchtop could not take the daily backup of ${label}: ${(err as Error).message}`);
    }
  };
  if (stale(workspace.layout.backupsDir, 'benchtop')) {
    await attempt(workspace.layout.centralDb, () => online(workspace.db, workspace.layout.centralDb, workspace.layout.backupsDir, 'daily'));
  }
  for (const r of readsDatabases(workspace.layout)) {
    // The workspace may have been switched or restored meanwhile: stop, the next start-up catches up.
    if (ws() !== workspace) break;
    // A reads database changes only when a run is ingested: an unchanged one is not copied again
    // (they are big, and two weeks of identical copies would take fourteen times their space).
    const newest = newestCopy(readsBackupsDir(workspace.layout), `SMA_${r.expId}`);
    if (now - newest > DAY_MS && lastWritten(r.file) > newest) await attempt(r.file, () => backupReadsDb(r.file, readsBackupsDir(workspace.layout), 'daily'));
  }
  rotateWorkspaceBackups(workspace.layout, policy);
  return taken;
}

/**
 * Before an import writes into the central database: one synchronous statement (VACUUM INTO), so no
 * other write can land between the copy and the import, and the import starts only once it is good.
 */
export function backupBeforeImport(ws: Workspace, policy: RotationPolicy): TakenBackup {
  const taken = takeBackupSync(ws.db, ws.layout.centralDb, ws.layout.backupsDir, 'import');
  rotateBackups(ws.layout.backupsDir, policy);
  return taken;
}
