import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { recordAudit } from '../../db/repos/audit';
import { recordedRunIds } from '../../db/repos/runFolders';
import type { UnfinishedRuns } from '../../shared/schemas/workspace';
import { pidAlive } from '../jobs/proc';
import type { WorkspaceLayout } from '../workspace/layout';
import { parsePartialRunDir, runDir } from './paths';

/** The ids Benchtop gives runs (randomUUID). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function trashDir(layout: WorkspaceLayout): string {
  return join(layout.path, 'trash');
}

/** What the Dashboard shows until it is dismissed; the audit trail keeps the history. */
function noticeFile(layout: WorkspaceLayout): string {
  return join(trashDir(layout), 'unfinished-runs.json');
}

type MovedFolder = UnfinishedRuns['folders'][number];

function readNotice(layout: WorkspaceLayout): MovedFolder[] {
  try {
    const parsed = JSON.parse(readFileSync(noticeFile(layout), 'utf8')) as { folders?: MovedFolder[] };
    return Array.isArray(parsed.folders) ? parsed.folders : [];
  } catch {
    return [];
  }
}

function bytesUnder(path: string): number {
  const info = lstatSync(path);
  if (!info.isDirectory()) return info.isFile() ? info.size : 0;
  return readdirSync(path).reduce((sum, name) => sum + bytesUnder(join(path, name)), 0);
}

/**
 * A `runs/<uuid>` folder with no row that holds nothing but the `rawdata/` and empty `logs/` a
 * creation makes first: left by a creation killed before run folders were filled under a
 * temporary name. A folder holding anything else (a step's output, a log) is left where it is.
 */
function looksLikeUnfinishedCreation(dir: string): boolean {
  try {
    const names = readdirSync(dir);
    if (!names.every((n) => n === 'rawdata' || n === 'logs')) return false;
    const logs = join(dir, 'logs');
    return !existsSync(logs) || readdirSync(logs).length === 0;
  } catch {
    return false; // unreadable: not ours to judge
  }
}

/**
 * Run folders a creation left unfinished, dealt with when a workspace opens (one readdir of runs/
 * when there are none):
 *  - a temporary folder whose process is gone and whose run was recorded is complete (the rows
 *    come after the last copy): it takes its name;
 *  - one whose run was not recorded, and a `runs/<uuid>` with no row as `looksLikeUnfinishedCreation`
 *    describes, are moved to `<workspace>/trash/<time>-<name>` (never deleted), recorded in the audit
 *    trail and listed for the Dashboard.
 * A temporary folder whose process is alive is being filled and left alone. Nothing here stops the
 * workspace from opening: what cannot be moved stays where it is, for the next open.
 */
export function sweepUnfinishedRuns(layout: WorkspaceLayout, db: Database.Database, now = new Date()): void {
  let entries;
  try {
    entries = readdirSync(layout.runsDir, { withFileTypes: true });
  } catch {
    return;
  }
  const partials: { name: string; id: string }[] = [];
  const unnamed: string[] = [];
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    const partial = parsePartialRunDir(e.name);
    if (partial && !pidAlive(partial.pid)) partials.push({ name: e.name, id: partial.id });
    else if (UUID.test(e.name)) unnamed.push(e.name);
  }
  if (partials.length === 0 && unnamed.length === 0) return;
  // Read after the folder list: a run whose folder was listed had its rows committed before.
  const recorded = recordedRunIds(db);
  const finished: string[] = [];
  const leftovers: string[] = [];
  for (const { name, id } of partials) {
    if (recorded.has(id) && !existsSync(runDir(layout, id))) {
      try {
        renameSync(join(layout.runsDir, name), runDir(layout, id));
        finished.push(id);
      } catch {
        // left for the next open
      }
    } else if (!recorded.has(id)) leftovers.push(name);
  }
  for (const name of unnamed) {
    if (!recorded.has(name) && looksLikeUnfinishedCreation(join(layout.runsDir, name))) leftovers.push(name);
  }

  const moved: MovedFolder[] = [];
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  for (const name of leftovers) {
    const from = join(layout.runsDir, name);
    const to = join(trashDir(layout), `${stamp}-${name.replace(/^\./, '')}`);
    try {
      const bytes = bytesUnder(from);
      mkdirSync(trashDir(layout), { recursive: true });
      renameSync(from, to);
      moved.push({ name, path: to, bytes, movedAt: now.toISOString() });
    } catch {
      // runs/ on another file system than trash/, or the folder went away: left where it is
    }
  }
  if (moved.length === 0 && finished.length === 0) return;
  recordAudit(db, { action: 'runs.unfinished_cleanup', entityType: 'workspace', entityId: layout.path, details: { moved, finished } });
  if (moved.length) {
    try {
      writeFileSync(noticeFile(layout), `${JSON.stringify({ folders: [...readNotice(layout), ...moved] }, null, 2)}\n`);
    } catch {
      // the audit trail has it; the Dashboard does not say it this time
    }
  }
}

export function unfinishedRuns(layout: WorkspaceLayout): UnfinishedRuns {
  const folders = readNotice(layout);
  return { trashDir: trashDir(layout), folders, totalBytes: folders.reduce((sum, f) => sum + f.bytes, 0) };
}

/** The Dashboard's notice is dismissed; the folders stay in trash/ and the audit trail keeps the entry. */
export function dismissUnfinishedRuns(layout: WorkspaceLayout, db: Database.Database, actor?: string): { dismissed: number } {
  const dismissed = readNotice(layout).length;
  rmSync(noticeFile(layout), { force: true });
  if (dismissed) recordAudit(db, { actor, action: 'runs.unfinished_dismissed', entityType: 'workspace', entityId: layout.path, details: { dismissed } });
  return { dismissed };
}
