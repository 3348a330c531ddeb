import { afterEach, describe, expect, it } from 'vitest';
import { exited, holdWriteLock } from '../../tests/lockHolder';
import { openTestSession, tempDirs } from '../../tests/tempWorkspace';
import { serveHost } from './fileLinks';
import { startServer } from './server';

describe('the browser bridge on a busy database', () => {
  const dirs = tempDirs();
  afterEach(() => dirs.cleanup());

  it('answers 503 with Retry-After, so the page knows to ask again', async () => {
    const session = openTestSession(dirs, serveHost(dirs.config));
    session.workspace.db.pragma('busy_timeout = 100');
    const server = await startServer({ session, rendererDir: dirs.root, port: 0 });
    const holder = await holdWriteLock(session.workspace.layout.centralDb, 3000);
    const res = await fetch(`http://127.0.0.1:${server.port}/api/op/libraries.create`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Benchtop-Token': server.token },
      body: JSON.stringify({ spec: { lib_name: 'during an import' } }),
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'busy' } });
    holder.kill();
    await exited(holder);
    await server.close();
    session.close();
  });
});
