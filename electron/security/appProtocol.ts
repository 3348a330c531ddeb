/**
 * The `app://benchtop/` protocol: the renderer's built files, served by the main process so the
 * page has a real origin (not file://). Paths are confined to the renderer folder by
 * resolveStaticFile (`..`, `%2e%2e`, encoded slashes, absolute paths and symlinks out are refused);
 * every answer carries the Content-Security-Policy.
 */
import { CONTENT_SECURITY_POLICY } from './csp';
import { isAppUrl, parseUrl } from './navigation';
import { contentType, resolveStaticFile } from './staticFiles';

export interface AppProtocolAnswer {
  status: 200 | 400 | 404 | 405 | 500;
  headers: Record<string, string>;
  /** The file to send (status 200), already confined to the renderer folder; null otherwise. */
  file: string | null;
  /** A short plain-text body for refusals. */
  body: string;
}

const BASE_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
} as const;

/** Decide what an `app://` request gets; pure apart from looking at the file system. */
export function resolveAppRequest(rendererDir: string, requestUrl: string, method = 'GET'): AppProtocolAnswer {
  if (method !== 'GET' && method !== 'HEAD') return refuse(405, `${method} is not served.`);
  const url = parseUrl(requestUrl);
  if (!url || !isAppUrl(requestUrl)) return refuse(400, 'Not a Benchtop address.');
  let file: string | null;
  try {
    // The pathname is still percent-encoded: resolveStaticFile decodes it once, then confines it.
    file = resolveStaticFile(rendererDir, url.pathname);
  } catch {
    return refuse(500, 'The renderer is not built (run `npm run build`).');
  }
  if (!file) return refuse(404, `No file ${url.pathname}.`);
  return { status: 200, headers: { ...BASE_HEADERS, 'Content-Type': contentType(file) }, file, body: '' };
}

function refuse(status: AppProtocolAnswer['status'], body: string): AppProtocolAnswer {
  return { status, headers: { ...BASE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }, file: null, body };
}
