import { describe, expect, it } from 'vitest';
import { APP_INDEX_URL, APP_ORIGIN, decideWindowOpen, isAppUrl, isNavigationAllowed } from './navigation';

describe('isAppUrl', () => {
  it.each([
    'app://benchtop/index.html',
    'app://benchtop/',
    'app://benchtop/assets/index-abc123.js',
    'app://benchtop/runs/42?tab=logs#top',
    'APP://BENCHTOP/index.html',
    APP_INDEX_URL,
  ])('accepts the app origin: %s', (url) => {
    expect(isAppUrl(url)).toBe(true);
  });

  it.each([
    'app://benchtop.evil.example/index.html',
    'app://evil/index.html',
    'app://benchtop@evil/index.html',
    'app://user:pw@benchtop/index.html',
    'app://benchtop:8080/index.html',
    'app:benchtop/index.html',
    'app:///index.html',
    'https://benchtop/index.html',
    'http://127.0.0.1:5173/',
    'file:///work/main/dist/renderer/index.html',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'about:blank',
    'devtools://devtools/bundled/inspector.html',
    'benchtop/index.html',
    '',
    'not a url',
  ])('refuses anything else: %s', (url) => {
    expect(isAppUrl(url)).toBe(false);
  });

  it('refuses values that are not strings', () => {
    for (const v of [undefined, null, 42, {}, new URL(`${APP_ORIGIN}/`)]) expect(isAppUrl(v)).toBe(false);
  });
});

describe('navigation guard', () => {
  it('lets the page move within the app', () => {
    expect(isNavigationAllowed('app://benchtop/index.html#/runs')).toBe(true);
  });

  it('keeps the window from leaving the app', () => {
    for (const url of ['https://example.org/', 'file:///etc/passwd', 'app://other/index.html', 'chrome://gpu']) {
      expect(isNavigationAllowed(url)).toBe(false);
    }
  });
});

describe('window.open decisions', () => {
  it('never opens an Electron window, and hands http(s) links to the browser', () => {
    expect(decideWindowOpen('https://www.ncbi.nlm.nih.gov/')).toEqual({ action: 'deny', openExternal: 'https://www.ncbi.nlm.nih.gov/' });
    expect(decideWindowOpen('http://example.org/a?b=c')).toEqual({ action: 'deny', openExternal: 'http://example.org/a?b=c' });
  });

  it('drops every other address', () => {
    for (const url of ['app://benchtop/index.html', 'file:///etc/passwd', 'javascript:alert(1)', 'about:blank', '', 'smb://share/x']) {
      expect(decideWindowOpen(url)).toEqual({ action: 'deny', openExternal: null });
    }
  });
});
