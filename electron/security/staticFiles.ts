import { realpathSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';

export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentType(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Map a URL path onto a file inside `root`, links resolved, or null when it does not exist or
 * would leave `root` (`..`, encoded `..`, a symlink pointing out). Paths without a file fall back
 * to index.html so the single-page app can route them.
 */
export function resolveStaticFile(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const realRoot = realpathSync(root);
  const candidate = normalize(join(realRoot, decoded));
  if (!isInside(realRoot, candidate)) return null;
  const file = existingFile(candidate) ?? (extname(decoded) === '' ? existingFile(join(realRoot, 'index.html')) : null);
  if (!file) return null;
  const real = realpathSync(file);
  return isInside(realRoot, real) ? real : null;
}

function existingFile(p: string): string | null {
  try {
    return statSync(p).isFile() ? p : null;
  } catch {
    return null;
  }
}

export function isInside(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);
}
