import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { resolveAppRequest } from '../security/appProtocol';
import { APP_SCHEME } from '../security/navigation';

/** Must run before `ready`: app:// behaves like https (standard URL, secure context, fetch). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serve `app://benchtop/<path>` from the built renderer (confined, with the CSP). */
export function serveAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
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
