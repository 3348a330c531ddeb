import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../api/session';
import { openTestSession, tempDirs } from '../../tests/tempWorkspace';
import { serveHost, SignedRunFileLinks } from './fileLinks';
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
    session = openTestSession(dirs, serveHost(dirs.config));
    server = await startServer({ session, rendererDir, port: 0 });
    auth = { 'X-Benchtop-Token': server.token };
  });
  afterAll(async () => {
    await server.close();
    session.close();
    dirs.cleanup();
  });

  it('prints a URL on 127.0.0.1 carrying the token in the fragment, which browsers never send', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`);
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

  it('refuses the API and the event stream without the token header, or with a wrong one (401)', async () => {
    expect((await send(server.port, '/api/op/system.status', { method: 'POST', body: '{}' })).status).toBe(401);
    expect((await send(server.port, '/api/events')).status).toBe(401);
    expect((await send(server.port, '/api/op/system.status', { method: 'POST', headers: { 'X-Benchtop-Token': 'x'.repeat(43) } })).status).toBe(401);
    // Neither a cookie nor a query string carries the token: browsers send cookies to every port of
    // 127.0.0.1, and a query string ends up in histories and logs.
    const cookie = { Cookie: `benchtop_token_${server.port}=${server.token}; benchtop_token=${server.token}` };
    expect((await send(server.port, '/api/op/system.status', { method: 'POST', headers: cookie, body: '{}' })).status).toBe(401);
    expect((await send(server.port, `/api/op/system.status?token=${server.token}`, { method: 'POST', body: '{}' })).status).toBe(401);
    expect((await send(server.port, `/api/events?token=${server.token}`)).status).toBe(401);
  });

  it('serves the app itself without the token, never setting a cookie or redirecting', async () => {
    const page = await send(server.port, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Benchtop</title>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['set-cookie']).toBeUndefined();
    const withToken = await send(server.port, `/?token=${server.token}`);
    expect(withToken.status).toBe(200);
    expect(withToken.headers['set-cookie']).toBeUndefined();
    expect(withToken.headers.location).toBeUndefined();
  });

  it('never redirects to another host, whatever the path looks like', async () => {
    for (const path of ['//evil.example/x', '/.//evil.example/x', '///evil.example/x', '/\\evil.example/x', `//evil.example/x?token=${server.token}`, `/.//evil.example/x?token=${server.token}`]) {
      const reply = await send(server.port, path);
      expect(reply.status, path).toBeLessThan(300);
      expect(reply.headers.location, path).toBeUndefined();
    }
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

  it('answers a badly percent-encoded operation name with 400, not 500', async () => {
    const reply = await send(server.port, '/api/op/%E0%A4%A', { method: 'POST', headers: auth, body: '{}' });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'invalid_request', message: expect.stringContaining('not valid URL encoding') } });
  });

  it('keeps the error for a body of 300,000 unknown fields short: the first 20 problems and a count', async () => {
    const body: Record<string, number> = {};
    for (let i = 0; i < 300_000; i++) body[`field_${i}`] = i;
    const reply = await send(server.port, '/api/op/system.status', { method: 'POST', headers: auth, body: JSON.stringify(body) });
    expect(reply.status).toBe(400);
    expect(reply.body.length).toBeLessThan(4096);
    const message = (JSON.parse(reply.body) as { error: { message: string } }).error.message;
    expect(message).toContain('unknown field "field_0"');
    expect(message).toContain('unknown field "field_19"');
    expect(message).not.toContain('field_20"');
    expect(message).toContain('and 299980 more problems');
  });

  it('serves only files inside the renderer folder', async () => {
    expect((await send(server.port, '/assets/app.js')).status).toBe(200);
    expect((await send(server.port, '/../secret.txt')).status).toBe(404);
    expect((await send(server.port, '/%2e%2e/secret.txt')).status).toBe(404);
    expect((await send(server.port, '/assets/link.txt')).status).toBe(404);
  });

  /** The signed link of runs.fileUrl, as an absolute path of the server. */
  async function fileLink(runId: string, path: string): Promise<string> {
    const reply = await send(server.port, '/api/op/runs.fileUrl', { method: 'POST', headers: auth, body: JSON.stringify({ id: runId, path }) });
    expect(reply.status, reply.body).toBe(200);
    const { url, expiresAt } = (JSON.parse(reply.body) as { value: { url: string; expiresAt: string } }).value;
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(10 * 60_000);
    return `/${url}`;
  }

  it('serves a file of a run through its signed link only, with the sandbox CSP', async () => {
    const run = await session.call('runs.create', { name: 'files route' });
    mkdirSync(join(run.dir, 'qc'), { recursive: true });
    writeFileSync(join(run.dir, 'qc', 'report.html'), '<html><script>alert(1)</script><p>hi</p></html>');
    writeFileSync(join(run.dir, 'qc', 'other.html'), '<p>other</p>');
    const link = await fileLink(run.id, 'qc/report.html');
    expect(link).toMatch(new RegExp(`^/files/runs/${run.id}/qc/report\\.html\\?expires=\\d+&sig=[\\w-]+$`));
    const ok = await send(server.port, link);
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(ok.headers['content-security-policy']).toBe("sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'");
    expect(ok.headers['x-content-type-options']).toBe('nosniff');
    expect(ok.body).toContain('<p>hi</p>');

    // Without the link's signature — even with the API token — the file is not served.
    expect((await send(server.port, `/files/runs/${run.id}/qc/report.html`)).status).toBe(403);
    expect((await send(server.port, `/files/runs/${run.id}/qc/report.html`, { headers: auth })).status).toBe(403);
    // The link opens its one file: not a neighbour, not another run's file of the same name.
    const query = link.slice(link.indexOf('?'));
    const other = await send(server.port, `/files/runs/${run.id}/qc/other.html${query}`);
    expect(other.status).toBe(403);
    expect(other.body).not.toContain('other</p>');
    const second = await session.call('runs.create', { name: 'second' });
    mkdirSync(join(second.dir, 'qc'));
    writeFileSync(join(second.dir, 'qc', 'report.html'), '<p>second</p>');
    expect((await send(server.port, `/files/runs/${second.id}/qc/report.html${query}`)).status).toBe(403);
    // Tampered: the expiry moved, or the signature changed by one character.
    const expires = Number(new URLSearchParams(query).get('expires'));
    expect((await send(server.port, link.replace(`expires=${expires}`, `expires=${expires + 3_600_000}`))).status).toBe(403);
    const sig = new URLSearchParams(query).get('sig')!;
    const flipped = `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`;
    const tampered = await send(server.port, link.replace(`sig=${sig}`, `sig=${flipped}`));
    expect(tampered.status).toBe(403);
    expect(JSON.parse(tampered.body)).toMatchObject({ ok: false, error: { message: expect.stringContaining('not valid') } });
  });

  it('refuses an expired file link, and one signed by another server', () => {
    let now = 1_000_000;
    const links = new SignedRunFileLinks(10 * 60_000, () => now);
    const { url } = links.urlFor('run1', 'qc/report.html');
    const query = new URL(url, 'http://x/').searchParams;
    expect(links.check('run1', 'qc/report.html', query)).toEqual({ ok: true });
    expect(links.check('run1', './qc//report.html', query)).toEqual({ ok: true });
    expect(links.check('run1', 'qc/other.html', query)).toMatchObject({ ok: false });
    expect(links.check('run2', 'qc/report.html', query)).toMatchObject({ ok: false });
    now += 10 * 60_000 + 1;
    expect(links.check('run1', 'qc/report.html', query)).toEqual({ ok: false, reason: expect.stringContaining('expired') });
    expect(new SignedRunFileLinks(10 * 60_000, () => 1_000_000).check('run1', 'qc/report.html', query)).toMatchObject({ ok: false, reason: expect.stringContaining('not valid') });
  });

  it('never serves a path leaving the run, a planted link, or a linked input (a link to a file outside)', async () => {
    const outside = join(dirs.root, 'outside_R1.fastq');
    writeFileSync(outside, '@r1\nACGT\n+\nIIII\n');
    const run = await session.call('runs.create', { name: 'linked', mode: 'link', inputs: [{ role: 'R1', path: outside }] });
    mkdirSync(join(run.dir, 'qc'), { recursive: true });
    symlinkSync('/etc/passwd', join(run.dir, 'qc', 'passwd'));
    for (const path of ['../secret.txt', '../../secret.txt', 'qc/../../secret.txt']) {
      const refused = await session.dispatch('runs.fileUrl', { id: run.id, path });
      expect(refused, path).toMatchObject({ ok: false, error: { code: 'outside_workspace' } });
    }
    // A validly signed link still cannot lead out through a link: the server resolves the real path.
    const links = session.host.runFileLinks as SignedRunFileLinks;
    for (const path of ['qc/passwd', run.inputs[0]!.path]) {
      expect(await session.dispatch('runs.fileUrl', { id: run.id, path }), path).toMatchObject({ ok: false, error: { code: 'outside_workspace' } });
      const reply = await send(server.port, `/${links.urlFor(run.id, path).url}`);
      expect(reply.status, path).toBe(403);
      expect(reply.body).not.toContain('root:');
      expect(reply.body).not.toContain('ACGT');
      expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'outside_workspace' } });
    }
    const linked = await send(server.port, `/${links.urlFor(run.id, run.inputs[0]!.path).url}`);
    expect(JSON.parse(linked.body)).toMatchObject({ error: { message: expect.stringContaining('is a linked input') } });
    // runs.readText refuses it too: reading a run's file back never follows a link out of the run.
    const text = await session.dispatch('runs.readText', { id: run.id, path: run.inputs[0]!.path });
    expect(text).toMatchObject({ ok: false, error: { code: 'outside_workspace', message: expect.stringContaining('is a linked input') } });
    for (const path of [`/files/runs/${run.id}/%2e%2e/%2e%2e/secret.txt`, `/files/runs/${run.id}/qc/..%2F..%2Fsecret.txt`, `/files/runs/${run.id}/%E0%A4%A`]) {
      const refused = await send(server.port, path);
      expect(refused.status, path).toBeGreaterThanOrEqual(400);
      expect(refused.status, path).toBeLessThan(500);
      expect(refused.body).not.toBe('secret');
    }
    expect((await session.dispatch('runs.fileUrl', { id: run.id, path: 'qc/missing.html' }))).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect((await send(server.port, `/${links.urlFor(run.id, 'qc/missing.html').url}`)).status).toBe(404);
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

  it('cuts off event-stream clients that stop reading, so memory stays bounded (40 stalled clients, 10 MB/s of log)', async () => {
    const stalled = await Promise.all(
      Array.from({ length: 40 }, () =>
        new Promise<Socket>((resolve, reject) => {
          const socket = connect({ host: '127.0.0.1', port: server.port }, () => {
            socket.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nX-Benchtop-Token: ${server.token}\r\n\r\n`);
            socket.once('data', () => {
              socket.pause(); // never read again
              resolve(socket);
            });
          });
          socket.on('error', reject);
        }),
      ),
    );
    expect(server.eventBacklog().clients).toBeGreaterThanOrEqual(40);

    // 100 KB chunks of log at 10 MB/s for 3 s: 30 MB per client if nothing were cut off.
    const text = 'ACGT'.repeat(25_000);
    let offset = 0;
    let peak = 0;
    await new Promise<void>((resolve) => {
      const started = Date.now();
      const timer = setInterval(() => {
        // Paced by the clock, not the timer (which a busy machine slows): 10 bytes per ms.
        while (offset < (Date.now() - started) * 10_000) {
          session.events.emit('job.log', { jobId: 1, offset, text });
          offset += text.length;
          peak = Math.max(peak, server.eventBacklog().queuedBytes);
        }
        if (Date.now() - started > 3_000) {
          clearInterval(timer);
          resolve();
        }
      }, 10);
    });
    expect(offset).toBeGreaterThan(20_000_000);
    // Each client is cut off once it has 1 MiB unread (plus the frame that crossed the line).
    expect(peak).toBeLessThan(40 * (1024 * 1024 + 2 * text.length));
    // Every stalled client was cut off (its connection closed by the server), none is left holding memory.
    expect(server.eventBacklog()).toEqual({ clients: 0, queuedBytes: 0 });
    for (const socket of stalled) socket.destroy();
  });
});
