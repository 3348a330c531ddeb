import { randomBytes, timingSafeEqual } from 'node:crypto';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export interface RequestFacts {
  host: string | undefined;
  origin: string | undefined;
  /** The token from the X-Benchtop-Token header, the ?token= query, or the cookie (first found). */
  token: string | undefined;
}

export type Verdict = { ok: true } | { ok: false; status: 401 | 403; reason: string };

/**
 * The browser bridge's guard. Host must name this loopback server (so a DNS-rebinding page on
 * another name is refused), Origin, when sent, must be this server, and the token must match.
 */
export function checkRequest(facts: RequestFacts, expected: { port: number; token: string }): Verdict {
  const allowedHosts = [`127.0.0.1:${expected.port}`, `localhost:${expected.port}`];
  if (!facts.host || !allowedHosts.includes(facts.host.toLowerCase())) {
    return { ok: false, status: 403, reason: `foreign Host header ${JSON.stringify(facts.host ?? '')}` };
  }
  if (facts.origin !== undefined && !allowedHosts.map((h) => `http://${h}`).includes(facts.origin.toLowerCase())) {
    return { ok: false, status: 403, reason: `foreign Origin ${JSON.stringify(facts.origin)}` };
  }
  if (!facts.token || !sameToken(facts.token, expected.token)) {
    return { ok: false, status: 401, reason: 'missing or wrong token' };
  }
  return { ok: true };
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function cookieName(port: number): string {
  return `benchtop_token_${port}`;
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}
