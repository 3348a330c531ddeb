import { describe, expect, it } from 'vitest';
import { isTrustedSender, untrustedSenderResult } from './senders';

describe('isTrustedSender', () => {
  it("trusts the app's page in the top frame", () => {
    expect(isTrustedSender('app://benchtop/index.html', true)).toBe(true);
    expect(isTrustedSender('app://benchtop/index.html#/runs/3', true)).toBe(true);
  });

  it('refuses a sub-frame, even on the app origin', () => {
    expect(isTrustedSender('app://benchtop/index.html', false)).toBe(false);
  });

  it.each([
    'https://example.org/',
    'http://127.0.0.1:4173/',
    'file:///work/main/dist/renderer/index.html',
    'app://evil/index.html',
    'app://benchtop.evil/index.html',
    'about:blank',
    'data:text/html,x',
    '',
  ])('refuses a top frame elsewhere: %j', (url) => {
    expect(isTrustedSender(url, true)).toBe(false);
  });

  it('refuses an unknown frame', () => {
    expect(isTrustedSender(undefined, true)).toBe(false);
    expect(isTrustedSender(null, true)).toBe(false);
  });
});

describe('untrustedSenderResult', () => {
  it('is an error result naming the frame', () => {
    const r = untrustedSenderResult('https://example.org/');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalid_request');
      expect(r.error.message).toContain('https://example.org/');
    }
  });
});
