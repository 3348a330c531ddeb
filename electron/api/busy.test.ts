import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { retryWhileBusy } from '../../renderer/src/api/retry';
import { openTestSession, tempDirs } from '../../tests/tempWorkspace';
import { exited, holdWriteLock } from '../../tests/lockHolder';

const BIN = join(import.meta.dirname, '../../bin/benchtop.js');
const BUILT = join(import.meta.dirname, '../../dist/cli/benchtop.js');

describe('a database another process is writing', () => {
  const dirs = tempDirs();
  afterEach(() => dirs.cleanup());

  it('answers busy, naming the database, once the busy timeout runs out', async () => {
    const session = openTestSession(dirs);
    session.workspace.db.pragma('busy_timeout = 200');
    const holder = await holdWriteLock(session.workspace.layout.centralDb, 3000);
    const result = await session.dispatch('libraries.create', { spec: { lib_name: 'during a long import' } });
    expect(result).toEqual({
      ok: false,
      error: { code: 'busy', message: `The database ${session.workspace.layout.centralDb} is busy with another task; try again in a moment.` },
    });
    holder.kill();
    await exited(holder);
    session.close();
  });

  it('waits out a lock shorter than the busy timeout, even where the change reads before it writes', async () => {
    const session = openTestSession(dirs);
    session.workspace.db.pragma('busy_timeout = 5000');
    const holder = await holdWriteLock(session.workspace.layout.centralDb, 500);
    // libraries.create looks up the new id before inserting: a deferred transaction would be
    // refused at once when it turns into a write, without waiting for the lock.
    const result = await session.dispatch('libraries.create', { spec: { lib_name: 'after the import' } });
    expect(result).toMatchObject({ ok: true, value: { spec: { lib_name: 'after the import' } } });
    await exited(holder);
    session.close();
  });

  it.skipIf(!existsSync(BUILT))('keeps every change of the app going through a 10,000-construct import from the command line', async () => {
    const session = openTestSession(dirs);
    const lines = ['format: benchtop-library', 'format_version: 1', 'lib_id: BIG', 'lib_name: big import', 'constructs:'];
    for (let i = 0; i < 10_000; i++) lines.push(`  - construct_id: C${i}`, `    name: c${i}`, `    sequence: ${'ACGT'.repeat(250)}`);
    const file = join(dirs.root, 'big.yaml');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const cli = spawn(process.execPath, [BIN, 'libraries', 'import', file, '--workspace', dirs.workspace], {
      env: { ...process.env, BENCHTOP_CONFIG_DIR: dirs.config, BENCHTOP_WORKSPACE: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    cli.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const done = new Promise<number | null>((resolve) => cli.once('exit', resolve));
    let finished = false;
    void done.then(() => (finished = true));
    const failures: unknown[] = [];
    let calls = 0;
    while (!finished) {
      // As the app's page does: a `busy` answer is asked again (the import's one transaction may outlast one busy timeout on a loaded machine).
      const name = `meanwhile ${calls++}`;
      const result = await retryWhileBusy(() => session.dispatch('libraries.create', { spec: { lib_name: name } }));
      if (!result.ok) failures.push(result.error);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await done, stderr).toBe(0);
    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThan(10);
    expect((await session.call('libraries.get', { libId: 'BIG' })).constructs).toHaveLength(10_000);
    session.close();
  });
});
