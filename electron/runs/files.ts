import { lstat, open, readdir, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../../shared/errors';
import type { RunFileLinks } from '../api/host';
import { relativeSegments, resolveInRun } from './paths';
import { getRunInputs, getRunSummary } from './repo';
import type { RunsWorkspace } from './service';

export interface RunFileEntry {
  path: string;
  bytes: number;
  kind: 'file' | 'dir';
  modifiedAt: string;
}

export const FILES_LIMIT_DEFAULT = 10_000;
export const READ_TEXT_DEFAULT = 64 * 1024;
export const READ_TEXT_MAX = 1024 * 1024;

/**
 * The files under a run's folder (or under `dir` inside it), as paths relative to the run's folder.
 * One level unless `recursive`; links are never descended into, and are listed with their target's
 * size when it is inside the run (a linked input: the size recorded when it was linked).
 */
export async function listRunFiles(
  ws: RunsWorkspace,
  id: string,
  opts: { dir?: string | undefined; recursive?: boolean | undefined; limit?: number | undefined } = {},
): Promise<{ dir: string; files: RunFileEntry[]; truncated: boolean }> {
  getRunSummary(ws.db, id);
  const inputs = getRunInputs(ws.db, id);
  const relDir = relativeSegments(opts.dir ?? '').join('/');
  const start = resolveInRun(ws.layout, id, relDir, inputs);
  const limit = Math.max(1, Math.min(opts.limit ?? FILES_LIMIT_DEFAULT, 100_000));
  const files: RunFileEntry[] = [];
  let truncated = false;

  let startInfo;
  try {
    startInfo = await stat(start);
  } catch {
    if (relDir === '') return { dir: relDir, files, truncated }; // a cleaned run's folder may be empty or gone
    throw new ApiError('not_found', `Run ${id} has no ${relDir}.`);
  }
  if (!startInfo.isDirectory()) throw new ApiError('invalid_request', `${relDir} is not a folder of run ${id}.`);

  const walk = async (absDir: string, rel: string): Promise<void> => {
    const entries = await readdir(absDir, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (files.length >= limit) {
        truncated = true;
        return;
      }
      const relPath = rel ? `${rel}/${e.name}` : e.name;
      const abs = join(absDir, e.name);
      if (e.isSymbolicLink()) {
        let bytes = 0;
        let modifiedAt = new Date(0).toISOString();
        let kind: 'file' | 'dir' = 'file';
        const linkedInput = inputs.find((i) => i.mode === 'link' && i.path === relPath);
        if (linkedInput) {
          // Outside the run by design: listed with the size recorded when it was linked, never followed.
          bytes = linkedInput.bytes;
          modifiedAt = (await lstat(abs)).mtime.toISOString();
        } else {
          try {
            const info = await stat(resolveInRun(ws.layout, id, relPath, inputs));
            bytes = info.isFile() ? info.size : 0;
            kind = info.isDirectory() ? 'dir' : 'file';
            modifiedAt = info.mtime.toISOString();
          } catch {
            // a link leading outside the run, or dangling: listed, never followed
          }
        }
        files.push({ path: relPath, bytes, kind, modifiedAt });
        continue;
      }
      let info;
      try {
        info = await stat(abs);
      } catch {
        continue; // removed while listing
      }
      if (e.isDirectory()) {
        files.push({ path: relPath, bytes: 0, kind: 'dir', modifiedAt: info.mtime.toISOString() });
        if (opts.recursive) await walk(abs, relPath);
      } else {
        files.push({ path: relPath, bytes: info.size, kind: 'file', modifiedAt: info.mtime.toISOString() });
      }
      if (truncated) return;
    }
  };
  await walk(start, relDir);
  return { dir: relDir, files, truncated };
}

/** The start of a text file of the run (a TSV, a JSON report), at most `maxBytes`, never past the limit. */
export async function readRunText(
  ws: RunsWorkspace,
  id: string,
  relPath: string,
  maxBytes = READ_TEXT_DEFAULT,
): Promise<{ path: string; text: string; bytes: number; truncated: boolean }> {
  getRunSummary(ws.db, id);
  const file = resolveInRun(ws.layout, id, relPath, getRunInputs(ws.db, id));
  const limit = Math.max(1, Math.min(Math.trunc(maxBytes), READ_TEXT_MAX));
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new ApiError('not_found', `Run ${id} has no file ${relPath}.`);
    throw err;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new ApiError('invalid_request', `${relPath} is not a file.`);
    const buffer = Buffer.alloc(Math.min(limit, info.size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const head = buffer.subarray(0, bytesRead);
    if (head.includes(0)) throw new ApiError('invalid_request', `${relPath} is not a text file.`);
    // stream: true holds back a character cut in half at the limit.
    const text = new TextDecoder('utf-8').decode(head, { stream: bytesRead < info.size });
    return { path: relativeSegments(relPath).join('/'), text, bytes: info.size, truncated: bytesRead < info.size };
  } finally {
    await handle.close();
  }
}

/** Where the page can show one file of the run; the file must exist inside the run's folder now. */
export function runFileUrl(ws: RunsWorkspace, links: RunFileLinks | undefined, id: string, relPath: string): { url: string; expiresAt: string | null } {
  if (!links) throw new ApiError('unsupported', 'Files of a run are shown in the app or the browser, not on the command line.');
  getRunSummary(ws.db, id);
  const file = resolveInRun(ws.layout, id, relPath, getRunInputs(ws.db, id));
  if (!existsSync(file)) throw new ApiError('not_found', `Run ${id} has no file ${relPath}.`);
  return links.urlFor(id, relPath);
}
