import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveAppRequest } from './appProtocol';
import { CONTENT_SECURITY_POLICY } from './csp';

let base: string;
let root: string;
let secret: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'benchtop-app-protocol-'));
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Benchtop</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'style.css'), 'body{}');
  secret = join(base, 'secret.txt');
  writeFileSync(secret, 'not for the renderer');
  symlinkSync(secret, join(root, 'assets', 'leak.txt'));
  symlinkSync(base, join(root, 'outside'));
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('resolveAppRequest', () => {
  it('serves the index page with its type and the CSP', () => {
    const a = resolveAppRequest(root, 'app://benchtop/index.html');
    expect(a.status).toBe(200);
    expect(a.file).toBe(join(root, 'index.html'));
    expect(a.headers['Content-Type']).toBe('text/html; charset=utf-8');
    expect(a.headers['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(a.headers['X-Content-Type-Options']).toBe('nosniff');
  });

  it('serves assets with their content types', () => {
    expect(resolveAppRequest(root, 'app://benchtop/assets/index-abc.js').headers['Content-Type']).toBe('text/javascript; charset=utf-8');
    expect(resolveAppRequest(root, 'app://benchtop/assets/style.css?v=2').headers['Content-Type']).toBe('text/css; charset=utf-8');
  });

  it('falls back to index.html for app routes without a file', () => {
    expect(resolveAppRequest(root, 'app://benchtop/runs/42').file).toBe(join(root, 'index.html'));
  });

  it('answers 404 for a missing asset', () => {
    const a = resolveAppRequest(root, 'app://benchtop/assets/missing.js');
    expect(a.status).toBe(404);
    expect(a.file).toBeNull();
    expect(a.headers['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
  });

  it.each([
    'app://benchtop/../secret.txt',
    'app://benchtop/assets/../../secret.txt',
    'app://benchtop/%2e%2e/secret.txt',
    'app://benchtop/%2E%2E/secret.txt',
    'app://benchtop/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    'app://benchtop/..%2fsecret.txt',
    'app://benchtop/%2e%2e%5csecret.txt',
    'app://benchtop//etc/passwd',
    'app://benchtop/%2Fetc%2Fpasswd',
    'app://benchtop/assets/leak.txt',
    'app://benchtop/outside/secret.txt',
    'app://benchtop/index.html%00.js',
  ])('never serves a file outside the renderer folder: %s', (url) => {
    const a = resolveAppRequest(root, url);
    if (a.file !== null) {
      // A normalised `..` at the root stays at the root: the most it may reach is index.html.
      expect(a.file).toBe(join(root, 'index.html'));
    }
    expect(a.file).not.toBe(secret);
    expect(a.file ?? '').not.toContain('secret');
    expect(a.file ?? '').not.toContain('passwd');
  });

  it('refuses a symlink that points out of the folder', () => {
    expect(resolveAppRequest(root, 'app://benchtop/assets/leak.txt').status).toBe(404);
    expect(resolveAppRequest(root, 'app://benchtop/outside/secret.txt').status).toBe(404);
  });

  it('refuses an encoded traversal', () => {
    expect(resolveAppRequest(root, 'app://benchtop/assets/%2e%2e%2f%2e%2e%2fsecret.txt').status).toBe(404);
  });

  it('refuses other origins and schemes', () => {
    for (const url of ['app://evil/index.html', 'file:///etc/passwd', 'https://benchtop/index.html', 'garbage']) {
      const a = resolveAppRequest(root, url);
      expect(a.status).toBe(400);
      expect(a.file).toBeNull();
    }
  });

  it('serves GET and HEAD only', () => {
    expect(resolveAppRequest(root, 'app://benchtop/index.html', 'HEAD').status).toBe(200);
    expect(resolveAppRequest(root, 'app://benchtop/index.html', 'POST').status).toBe(405);
  });

  it('says so when the renderer is not built', () => {
    const a = resolveAppRequest(join(base, 'no-such-dir'), 'app://benchtop/index.html');
    expect(a.status).toBe(500);
    expect(a.file).toBeNull();
  });
});
