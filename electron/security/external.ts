/**
 * Which addresses may be handed to the operating system (`shell.openExternal`). Only web pages:
 * http: and https: with a host. Never file:, javascript:, data:, app:, or custom schemes, which
 * would run programs or open local files with the user's rights.
 */

const SAFE_PROTOCOLS = new Set(['http:', 'https:']);
const MAX_LENGTH = 8_192;

/** The normalised http(s) address, or null when it must not leave the app. */
export function safeExternalUrl(url: unknown): string | null {
  if (typeof url !== 'string' || url.length === 0 || url.length > MAX_LENGTH) return null;
  // Control characters and spaces around a URL are how scheme checks get fooled (`\tjavascript:`).
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f]/.test(url)) return null;
  // Written plainly as `http(s)://host…`: no `https:///x` or `https:\\x` that parsers repair differently.
  if (!/^https?:\/\/[^/\\]/i.test(url)) return null;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (!SAFE_PROTOCOLS.has(u.protocol)) return null;
  if (u.hostname === '') return null;
  // `https://trusted.example@evil.example/` shows one host and opens another.
  if (u.username !== '' || u.password !== '') return null;
  return u.href;
}

export function isSafeExternalUrl(url: unknown): boolean {
  return safeExternalUrl(url) !== null;
}
