import { createHmac, randomBytes } from 'node:crypto';
import type { Host, RunFileLinks } from '../api/host';
import { runFilePath } from '../runs/fileRequest';
import { relativeSegments } from '../runs/paths';
import { sameSecret } from './auth';

export const FILE_LINK_TTL_MS = 10 * 60 * 1000;

/**
 * Capability URLs for run files in the browser: a frame cannot send the token header, so the page
 * asks for a URL that carries its own proof instead — an HMAC (key random per server start) over the
 * run id, the one file's path and an expiry. It opens that file only, and only until it expires.
 */
export class SignedRunFileLinks implements RunFileLinks {
  private readonly key = randomBytes(32);

  constructor(
    private readonly ttlMs = FILE_LINK_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  urlFor(runId: string, relPath: string): { url: string; expiresAt: string } {
    const expires = this.now() + this.ttlMs;
    const query = new URLSearchParams({ expires: String(expires), sig: this.sign(runId, relPath, expires) });
    // Relative (no leading slash): the page lives at the server's root, whatever name it was opened by.
    return { url: `${runFilePath(runId, relPath).slice(1)}?${query.toString()}`, expiresAt: new Date(expires).toISOString() };
  }

  /** Whether `query` (expires, sig) opens exactly this file now; else why not, in the reader's words. */
  check(runId: string, relPath: string, query: URLSearchParams): { ok: true } | { ok: false; reason: string } {
    const expires = Number(query.get('expires'));
    const sig = query.get('sig');
    let path: string;
    try {
      path = relativeSegments(relPath).join('/');
    } catch {
      return { ok: false, reason: 'This link does not name a file of the run.' };
    }
    if (!sig || !Number.isSafeInteger(expires) || !sameSecret(sig, this.sign(runId, path, expires))) {
      return { ok: false, reason: 'This file link is not valid (it was made by another Benchtop, or for another file). Open the report again from the run.' };
    }
    if (this.now() > expires) return { ok: false, reason: 'This file link has expired. Open the report again from the run.' };
    return { ok: true };
  }

  private sign(runId: string, relPath: string, expires: number): string {
    const path = relativeSegments(relPath).join('/');
    return createHmac('sha256', this.key).update(`${runId}\n${path}\n${expires}`).digest('base64url');
  }
}

/** The host of `benchtop serve`: no native dialogs, run files through signed links. */
export function serveHost(configDir: string): Host {
  return { mode: 'serve', configDir, electronVersion: null, dialogs: null, runFileLinks: new SignedRunFileLinks() };
}
