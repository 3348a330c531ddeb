/**
 * Response headers for every page the Electron session loads (`webRequest.onHeadersReceived`):
 * Benchtop's Content-Security-Policy replaces whatever policy a response brought, so a page can
 * never run with a weaker one. The protocol handler sets it too; this is the second lock.
 */
import { CONTENT_SECURITY_POLICY } from './csp';

export type ResponseHeaders = Record<string, string[]>;

const ENFORCED: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
};

export function withSecurityHeaders(headers: ResponseHeaders | undefined): ResponseHeaders {
  const enforced = new Set(Object.keys(ENFORCED).map((k) => k.toLowerCase()));
  const out: ResponseHeaders = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const lower = name.toLowerCase();
    // Report-only policies and duplicates in another case would confuse the picture: drop them.
    if (enforced.has(lower) || lower === 'content-security-policy-report-only') continue;
    out[name] = value;
  }
  for (const [name, value] of Object.entries(ENFORCED)) out[name] = [value];
  return out;
}
