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
import { resolveInRun } from './paths';

export const RUN_FILES_PREFIX = '/files/runs/';

export type RunFileAnswer =
  | { ok: true; file: string; headers: Record<string, string> }
  | { ok: false; status: 400 | 403 | 404; code: string; message: string };

/** `rest` is the still percent-encoded part after RUN_FILES_PREFIX. */
export function resolveRunFileRequest(db: Database.Database, layout: WorkspaceLayout, rest: string): RunFileAnswer {
  try {
    const parts = rest.split('/').map((p) => decodeURIComponent(p));
    const runId = parts.shift() ?? '';
    if (!runId || parts.length === 0 || parts.every((p) => p === '')) throw new ApiError('invalid_request', 'Name a file: files/runs/<run id>/<path>.');
    const file = resolveInRun(layout, runId, parts.join('/'), getRunInputs(db, runId));
    if (!statSync(file).isFile()) throw new ApiError('invalid_request', `${parts.join('/')} is not a file.`);
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
    if (err instanceof URIError) return { ok: false, status: 400, code: 'invalid_request', message: 'The path is not valid URL encoding.' };
    const code = err instanceof ApiError ? err.code : 'not_found';
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, status: code === 'outside_workspace' ? 403 : code === 'invalid_request' ? 400 : 404, code, message };
  }
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
