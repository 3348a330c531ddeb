/**
 * `files/runs/<run id>/<path>`: one file of a run (an HTML report, a plot, a TSV), for the page to
 * show in a sandboxed frame. Shared by the browser bridge and Electron's app:// protocol, so both
 * confine the path the same way and send the same sandbox CSP.
 */
import { statSync } from 'node:fs';
import { extname } from 'node:path';
import type Database from 'better-sqlite3';
import { ApiError } from '../../shared/errors';
import { RUN_FILE_CSP } from '../security/csp';
import { contentType } from '../security/staticFiles';
import type { WorkspaceLayout } from '../workspace/layout';
import { getRunInputs } from './repo';
import { relativeSegments, resolveInRun } from './paths';

export const RUN_FILES_PREFIX = '/files/runs/';

export type RunFileRefusal = { ok: false; status: 400 | 403 | 404; code: string; message: string };
export type RunFileAnswer = { ok: true; file: string; headers: Record<string, string> } | RunFileRefusal;

/** The URL path of one file of a run, each segment percent-encoded: `/files/runs/<run id>/<path>`. */
export function runFilePath(runId: string, relPath: string): string {
  return `${RUN_FILES_PREFIX}${encodeURIComponent(runId)}/${relativeSegments(relPath).map(encodeURIComponent).join('/')}`;
}

/** `rest` is the still percent-encoded part after RUN_FILES_PREFIX: the run id and the path in it. */
export function parseRunFileRest(rest: string): { ok: true; runId: string; relPath: string } | RunFileRefusal {
  let parts: string[];
  try {
    parts = rest.split('/').map((p) => decodeURIComponent(p));
  } catch {
    return { ok: false, status: 400, code: 'invalid_request', message: 'The path is not valid URL encoding.' };
  }
  const runId = parts.shift() ?? '';
  if (!runId || parts.length === 0 || parts.every((p) => p === '')) {
    return { ok: false, status: 400, code: 'invalid_request', message: 'Name a file: files/runs/<run id>/<path>.' };
  }
  return { ok: true, runId, relPath: parts.join('/') };
}

/** The file itself, resolved inside the run's folder (links leaving it refused), with the headers to send it with. */
export function resolveRunFile(db: Database.Database, layout: WorkspaceLayout, runId: string, relPath: string): RunFileAnswer {
  try {
    const file = resolveInRun(layout, runId, relPath, getRunInputs(db, runId));
    if (!statSync(file).isFile()) throw new ApiError('invalid_request', `${relPath} is not a file.`);
    return {
      ok: true,
      file,
      headers: {
        'Content-Type': runFileType(file),
        'Content-Security-Policy': RUN_FILE_CSP,
        'X-Content-Type-Options': 'nosniff',
        'X-Frame-Options': 'SAMEORIGIN',
      },
    };
  } catch (err) {
    const code = err instanceof ApiError ? err.code : 'not_found';
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, status: code === 'outside_workspace' ? 403 : code === 'invalid_request' ? 400 : 404, code, message };
  }
}

/** Parse and resolve in one: for the app:// protocol, which needs no capability (only the app reaches it). */
export function resolveRunFileRequest(db: Database.Database, layout: WorkspaceLayout, rest: string): RunFileAnswer {
  const parsed = parseRunFileRest(rest);
  return parsed.ok ? resolveRunFile(db, layout, parsed.runId, parsed.relPath) : parsed;
}

const TEXT_EXTENSIONS = new Set(['.tsv', '.csv', '.log', '.bed', '.txt', '.fastq', '.fq', '.fa', '.fasta', '.sam', '.gtf', '.gff', '.gff3', '.md']);

function runFileType(file: string): string {
  const ext = extname(file).toLowerCase();
  if (TEXT_EXTENSIONS.has(ext)) return 'text/plain; charset=utf-8';
  if (ext === '.jpg' || ext === '.jpeg') return 'image/jpeg';
  if (ext === '.gif') return 'image/gif';
  if (ext === '.pdf') return 'application/pdf';
  return contentType(file);
}
