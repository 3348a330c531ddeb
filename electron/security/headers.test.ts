import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from './csp';
import { withSecurityHeaders } from './headers';

describe('withSecurityHeaders', () => {
  it("adds Benchtop's policy", () => {
    const out = withSecurityHeaders({ 'Content-Type': ['text/html'] });
    expect(out['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(out['X-Content-Type-Options']).toEqual(['nosniff']);
    expect(out['Content-Type']).toEqual(['text/html']);
  });

  it('replaces a weaker policy in any letter case, and drops report-only ones', () => {
    const out = withSecurityHeaders({
      'content-security-policy': ["default-src *; script-src 'unsafe-eval'"],
      'Content-Security-Policy-Report-Only': ["default-src 'none'"],
    });
    const csp = Object.entries(out).filter(([k]) => k.toLowerCase().startsWith('content-security-policy'));
    expect(csp).toEqual([['Content-Security-Policy', [CONTENT_SECURITY_POLICY]]]);
  });

  it('copes with no headers', () => {
    expect(withSecurityHeaders(undefined)['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
  });
});
