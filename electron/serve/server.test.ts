import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../api/session';
import { openTestSession, tempDirs } from '../../tests/tempWorkspace';
import { startServer, type RunningServer } from './server';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request, so tests can send any Host and Origin header (fetch would not). */
function send(port: number, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers, setHost: !opts.headers?.Host }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

describe('browser bridge (benchtop serve)', () => {
  const dirs = tempDirs();
  const rendererDir = join(dirs.root, 'renderer');
  let session: Session;
  let server: RunningServer;
  let auth: Record<string, string>;

  beforeAll(async () => {
    mkdirSync(join(rendererDir, 'assets'), { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Benchtop</title>');
    writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(dirs.root, 'secret.txt'), 'secret');
    symlinkSync(join(dirs.root, 'secret.txt'), join(rendererDir, 'assets', 'link.txt'));
    session = openTestSession(dirs);
    server = await startServer({ session, rendererDir, port: 0 });
    auth = { 'X-Benchtop-Token': server.token };
  });
  afterAll(async () => {
    await server.close();
    session.close();
    dirs.cleanup();
  });

  it('prints a URL on 127.0.0.1 carrying the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(40);
  });

  it('is bound to 127.0.0.1 only', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (!external) return; // a machine with no other interface has nothing else to refuse
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: external.address, port: server.port });
      socket.on('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.on('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });

  it('refuses requests without the token, or with a wrong one (401)', async () => {
    expect((await send(server.port, '/')).status).toBe(401);
    expect((await send(server.port, '/api/op/system.status', { method: 'POST', body: '{}' })).status).toBe(401);
    expect((await send(server.port, '/api/events')).status).toBe(401);
    expect((await send(server.port, '/api/op/system.status', { method: 'POST', headers: { 'X-Benchtop-Token': 'x'.repeat(43) } })).status).toBe(401);
    expect((await send(server.port, '/?token=wrong')).status).toBe(401);
  });

  it('refuses a foreign Origin or Host even with the token (403)', async () => {
    const evil = await send(server.port, '/api/op/system.status', { method: 'POST', headers: { ...auth, Origin: 'http://evil.example' }, body: '{}' });
    expect(evil.status).toBe(403);
    const otherPort = await send(server.port, '/api/op/system.status', { method: 'POST', headers: { ...auth, Origin: `http://127.0.0.1:${server.port + 1}` }, body: '{}' });
    expect(otherPort.status).toBe(403);
    const rebinding = await send(server.port, '/api/op/system.status', { method: 'POST', headers: { ...auth, Host: `evil.example:${server.port}` }, body: '{}' });
    expect(rebinding.status).toBe(403);
  });

  it('answers operations with the token, same-origin', async () => {
    const ok = await send(server.port, '/api/op/system.status', { method: 'POST', headers: { ...auth, Origin: `http://127.0.0.1:${server.port}` }, body: '{}' });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, value: { workspace: dirs.workspace } });
    const bad = await send(server.port, '/api/op/lookups.list', { method: 'POST', headers: auth, body: '{"table":"experiments"}' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    const notJson = await send(server.port, '/api/op/system.status', { method: 'POST', headers: auth, body: '{' });
    expect(JSON.parse(notJson.body)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('trades the URL token for an HttpOnly cookie and strips it from the address', async () => {
    const first = await send(server.port, `/?token=${server.token}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await send(server.port, '/', { headers: { Cookie: cookie.split(';')[0] ?? '' } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Benchtop</title>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('serves only files inside the renderer folder', async () => {
    expect((await send(server.port, '/assets/app.js', { headers: auth })).status).toBe(200);
    expect((await send(server.port, '/../secret.txt', { headers: auth })).status).toBe(404);
    expect((await send(server.port, '/%2e%2e/secret.txt', { headers: auth })).status).toBe(404);
    expect((await send(server.port, '/assets/link.txt', { headers: auth })).status).toBe(404);
  });

  it('serves a file of a run with the sandbox CSP, and refuses paths leaving the run', async () => {
    const run = await session.call('runs.create', { name: 'files route' });
    mkdirSync(join(run.dir, 'qc'), { recursive: true });
    writeFileSync(join(run.dir, 'qc', 'report.html'), '<html><script>alert(1)</script><p>hi</p></html>');
    symlinkSync('/etc/passwd', join(run.dir, 'qc', 'passwd'));
    const ok = await send(server.port, `/files/runs/${run.id}/qc/report.html`, { headers: auth });
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(ok.headers['content-security-policy']).toBe("sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'");
    expect(ok.headers['x-content-type-options']).toBe('nosniff');
    expect(ok.body).toContain('<p>hi</p>');
    // The token guards it like every other route.
    expect((await send(server.port, `/files/runs/${run.id}/qc/report.html`)).status).toBe(401);

    for (const path of [`/files/runs/${run.id}/../secret.txt`, `/files/runs/${run.id}/%2e%2e/%2e%2e/secret.txt`, `/files/runs/${run.id}/qc/..%2F..%2Fsecret.txt`]) {
      const refused = await send(server.port, path, { headers: auth });
      expect(refused.status, path).toBeGreaterThanOrEqual(400);
      expect(refused.status, path).toBeLessThan(500);
      expect(refused.body).not.toBe('secret');
      expect(JSON.parse(refused.body)).toMatchObject({ ok: false });
    }
    const link = await send(server.port, `/files/runs/${run.id}/qc/passwd`, { headers: auth });
    expect(link.status).toBe(403);
    expect(link.body).not.toContain('root:');
    expect(JSON.parse(link.body)).toMatchObject({ ok: false, error: { code: 'outside_workspace' } });
    expect((await send(server.port, `/files/runs/${run.id}/qc/missing.html`, { headers: auth })).status).toBe(404);
  });

  it('streams events over SSE', async () => {
    const received = new Promise<string>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: server.port, path: '/api/events', headers: auth }, (res) => {
        res.setEncoding('utf8');
        let text = '';
        res.on('data', (chunk: string) => {
          text += chunk;
          if (text.includes('workspace.changed')) {
            req.destroy();
            resolve(text);
          }
        });
      });
      req.on('error', reject);
      req.end();
    });
    await new Promise((r) => setTimeout(r, 100));
    await session.call('workspace.switch', { path: join(dirs.root, 'second') });
    const text = await received;
    const frame = text.split('\n').find((l) => l.startsWith('data: '));
    expect(JSON.parse(frame!.slice(6))).toMatchObject({ name: 'workspace.changed', payload: { path: join(dirs.root, 'second') } });
  });
});
