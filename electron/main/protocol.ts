import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import type { Session } from '../api/session';
import type { RunFileLinks } from '../api/host';
import { RUN_FILES_PREFIX, resolveRunFileRequest, runFilePath } from '../runs/fileRequest';
import { resolveAppRequest } from '../security/appProtocol';
import { APP_ORIGIN, APP_SCHEME, isAppUrl, parseUrl } from '../security/navigation';

/** Must run before `ready`: app:// behaves like https (standard URL, secure context, fetch). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Run files in the desktop app: app:// is reachable only from the app's own pages, so the URL needs no signature. */
export const appRunFileLinks: RunFileLinks = {
  urlFor: (runId, relPath) => ({ url: `${APP_ORIGIN}${runFilePath(runId, relPath)}`, expiresAt: null }),
};

/**
 * Serve `app://benchtop/<path>` from the built renderer (confined, with the CSP), and
 * `app://benchtop/files/runs/<run>/<path>` from the open workspace's runs (confined, sandboxed).
 */
export function serveAppProtocol(rendererDir: string, session: () => Session | null): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = isAppUrl(request.url) ? parseUrl(request.url) : null;
    const open = session();
    if (url && open && url.pathname.startsWith(RUN_FILES_PREFIX)) return runFile(open, url.pathname.slice(RUN_FILES_PREFIX.length), request.method);
    const answer = resolveAppRequest(rendererDir, request.url, request.method);
    if (!answer.file) return new Response(answer.body, { status: answer.status, headers: answer.headers });
    try {
      const body = request.method === 'HEAD' ? null : await readFile(answer.file);
      return new Response(body, { status: 200, headers: answer.headers });
    } catch {
      return new Response('Could not read the file.', { status: 500, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
    }
  });
}

function runFile(session: Session, rest: string, method: string): Response {
  const text = { 'Content-Type': 'text/plain; charset=utf-8' };
  if (method !== 'GET' && method !== 'HEAD') return new Response(`${method} is not served.`, { status: 405, headers: text });
  const answer = resolveRunFileRequest(session.workspace.db, session.workspace.layout, rest);
  if (!answer.ok) return new Response(answer.message, { status: answer.status, headers: text });
  const body = method === 'HEAD' ? null : (Readable.toWeb(createReadStream(answer.file)) as ReadableStream<Uint8Array>);
  return new Response(body, { status: 200, headers: answer.headers });
}
