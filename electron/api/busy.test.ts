import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestSession, tempDirs } from '../../tests/tempWorkspace';

const betterSqlite3 = createRequire(import.meta.url).resolve('better-sqlite3');

/**
 * Another process (as a second Benchtop, or `benchtop libraries import` in a terminal) that takes
 * the central database's write lock and keeps it for `holdMs`; resolves once it holds it.
 */
function holdWriteLock(file: string, holdMs: number): Promise<ChildProcess> {
  const script = `
    const Database = require(${JSON.stringify(betterSqlite3)});
    const db = new Database(${JSON.stringify(file)});
    db.exec('BEGIN IMMEDIATE');
    db.exec("INSERT INTO lk_pore_types (pore_type) VALUES ('held-by-another-process')");
    process.stdout.write('locked\\n');
    setTimeout(() => { db.exec('COMMIT'); db.close(); }, ${holdMs});
  `;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`the lock holder exited early (${code})`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
}

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
});
