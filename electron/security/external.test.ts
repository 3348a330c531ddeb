import { describe, expect, it } from 'vitest';
import { isSafeExternalUrl, safeExternalUrl } from './external';

describe('isSafeExternalUrl', () => {
  it.each(['https://example.org/', 'http://example.org/docs?q=1#x', 'https://www.ncbi.nlm.nih.gov/sra', 'HTTPS://EXAMPLE.ORG/', 'https://[::1]:8443/'])(
    'accepts web pages: %s',
    (url) => {
      expect(isSafeExternalUrl(url)).toBe(true);
    },
  );

  it.each([
    'file:///etc/passwd',
    'file://server/share/x',
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    '\tjavascript:alert(1)',
    'data:text/html,<h1>x</h1>',
    'app://benchtop/index.html',
    'vbscript:msgbox',
    'smb://server/share',
    'ms-msdt:/id PCWDiagnostic',
    'vscode://file/etc/passwd',
    'mailto:a@example.org',
    'ftp://example.org/',
    'chrome://settings',
    'about:blank',
    'https://trusted.example@evil.example/',
    'https://user:pw@example.org/',
    'https:///nohost',
    'https:\\\\evil.example/',
    'https:/\\evil.example/',
    'http://',
    'https://exa mple.org/',
    'https://example.org/\n',
    '//example.org/',
    'example.org',
    '',
    'not a url',
  ])('refuses: %j', (url) => {
    expect(isSafeExternalUrl(url)).toBe(false);
  });

  it('refuses values that are not strings and absurdly long ones', () => {
    expect(isSafeExternalUrl(undefined)).toBe(false);
    expect(isSafeExternalUrl(null)).toBe(false);
    expect(isSafeExternalUrl({ href: 'https://example.org/' })).toBe(false);
    expect(isSafeExternalUrl(`https://example.org/${'a'.repeat(10_000)}`)).toBe(false);
  });

  it('returns the normalised address that is handed on', () => {
    expect(safeExternalUrl('HTTPS://Example.ORG')).toBe('https://example.org/');
  });
});
