/**
 * Where the Benchtop window may go. The app lives on one origin, `app://benchtop`, served by the
 * main process from dist/renderer; every other address is refused inside the window (an http(s)
 * link asked to open in a new window goes to the user's browser instead, see external.ts).
 */
import { safeExternalUrl } from './external';

export const APP_SCHEME = 'app';
export const APP_HOST = 'benchtop';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/** A URL object, or null for anything that is not a parseable absolute URL string. */
export function parseUrl(url: unknown): URL | null {
  if (typeof url !== 'string' || url.length === 0 || url.length > 32_768) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True only for `app://benchtop/...`: the app's own origin (no other host, port or credentials). */
export function isAppUrl(url: unknown): boolean {
  const u = parseUrl(url);
  return (
    u !== null &&
    u.protocol === `${APP_SCHEME}:` &&
    u.hostname.toLowerCase() === APP_HOST &&
    u.port === '' &&
    u.username === '' &&
    u.password === '' &&
    u.pathname.startsWith('/')
  );
}

/** `will-navigate`, `will-frame-navigate`, `will-redirect`: stay on the app's origin or do not move. */
export function isNavigationAllowed(url: unknown): boolean {
  return isAppUrl(url);
}

export interface WindowOpenDecision {
  /** Benchtop never opens a second Electron window from the page. */
  action: 'deny';
  /** The http(s) address to hand to the user's browser, or null to drop the request. */
  openExternal: string | null;
}

/** `setWindowOpenHandler`: always deny; an http(s) link goes to the system browser. */
export function decideWindowOpen(url: unknown): WindowOpenDecision {
  return { action: 'deny', openExternal: safeExternalUrl(url) };
}
