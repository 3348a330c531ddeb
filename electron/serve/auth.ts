import { randomBytes, timingSafeEqual } from 'node:crypto';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The request header carrying the token. Never a cookie: browsers send cookies to every port of a host. */
export const TOKEN_HEADER = 'x-benchtop-token';

export type Verdict = { ok: true } | { ok: false; status: 401 | 403; reason: string };

/**
 * Host must name this loopback server (so a DNS-rebinding page on another name is refused), and
 * Origin, when sent, must be this server. Applies to every request, static files included.
 */
export function checkOrigin(facts: { host: string | undefined; origin: string | undefined }, port: number): Verdict {
  const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  if (!facts.host || !allowedHosts.includes(facts.host.toLowerCase())) {
    return { ok: false, status: 403, reason: `foreign Host header ${JSON.stringify(facts.host ?? '')}` };
  }
  if (facts.origin !== undefined && !allowedHosts.map((h) => `http://${h}`).includes(facts.origin.toLowerCase())) {
    return { ok: false, status: 403, reason: `foreign Origin ${JSON.stringify(facts.origin)}` };
  }
  return { ok: true };
}

/** The token of the X-Benchtop-Token header, the only place it is accepted (no cookie, no query string). */
export function checkToken(header: string | string[] | undefined, token: string): Verdict {
  if (typeof header !== 'string' || !sameSecret(header, token)) return { ok: false, status: 401, reason: 'missing or wrong token' };
  return { ok: true };
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
