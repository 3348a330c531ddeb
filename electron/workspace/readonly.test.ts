import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestSession } from '../../tests/tempWorkspace';
import { mountTmpfs, type TestMount } from '../../tests/mounts';
import { CENTRAL_SCHEMA_VERSION } from '../../db/central';
import { openReadsDb, readsDbFileName } from '../../db/reads';
import { seedSmaWorkspace } from '../../tests/fixtures/smaDb';

const probe = mountTmpfs(1024 * 1024);
probe.mount?.cleanup();
if (probe.skip) console.log(probe.skip);

/** A workspace on its own small disk, holding one library spec, closed (so its -wal and -shm are gone). */
async function workspaceOnMount(sizeBytes = 16 * 1024 * 1024): Promise<TestMount> {
  const made = mountTmpfs(sizeBytes);
  if (!made.mount) throw new Error(made.skip);
  const session = openTestSession(made.mount);
  await session.call('libraries.create', { spec: { lib_name: 'plasmid panel' } });
  session.close();
  return made.mount;
}

describe.skipIf(probe.skip !== null)('a workspace that cannot be written', () => {
  let mount: TestMount | null = null;
  afterEach(() => {
    mount?.cleanup();
    mount = null;
  });

  it('on a read-only disk is opened read-only: browsed, its changes refused with the reason', async () => {
    mount = await workspaceOnMount();
    mount.readOnly();
    const session = openTestSession(mount);
    const info = await session.call('workspace.get', {});
    expect(info.readOnly).toBe(true);
    expect(info.readOnlyReason).toBe(`${mount.workspace} is on a disk mounted read-only`);
    expect((await session.call('libraries.list', {})).map((l) => l.lib_name)).toEqual(['plasmid panel']);
    // What the pages show on opening: none of it may need to write.
    for (const op of ['system.status', 'pipeline.status', 'experiments.list', 'runs.list', 'jobs.list', 'steps.list', 'tools.list', 'sma.pending', 'db.inventory', 'lookups.tables', 'jobs.concurrency'] as const) {
      expect(await session.dispatch(op, {}), op).toMatchObject({ ok: true });
    }

    const refused = await session.dispatch('libraries.create', { spec: { lib_name: 'another' } });
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'read_only',
        message: `This workspace is read-only (${mount.workspace} is on a disk mounted read-only): the database ${join(mount.workspace, 'benchtop.db')} cannot be changed.`,
      },
    });
    session.close();
    expect(readdirSync(mount.workspace).filter((n) => n.startsWith('benchtop.db'))).toEqual(['benchtop.db']);
  });

  it("on a read-only disk still shows an experiment's reads, one run or several at once", async () => {
    const made = mountTmpfs(16 * 1024 * 1024);
    if (!made.mount) throw new Error(made.skip);
    mount = made.mount;
    const writer = openTestSession(mount);
    const readsDir = writer.workspace.layout.readsDir;
    seedSmaWorkspace(writer.workspace.db, (expId) => openReadsDb(join(readsDir, readsDbFileName(expId))));
    writer.close();
    mount.readOnly();
    const session = openTestSession(mount);
    expect((await session.call('reads.page', { runId: 'EXP1_hac', limit: 3 })).rows).toHaveLength(3);
    const query = await session.call('reads.query', { expIds: ['EXP1', 'EXP2'], metric: 'reads' });
    expect(query.rows.map((r) => r.runId).sort()).toEqual(['EXP1_hac', 'EXP1_sup', 'EXP2_sup']);
    session.close();
  });

  it('that needs upgrading is refused, naming the file, rather than opened half-known', async () => {
    mount = await workspaceOnMount();
    const file = join(mount.workspace, 'benchtop.db');
    const db = new Database(file);
    db.pragma(`user_version = ${CENTRAL_SCHEMA_VERSION - 1}`);
    db.close();
    mount.readOnly();
    expect(() => openTestSession(mount!)).toThrow(
      `The central database ${file} needs upgrading (schema version ${CENTRAL_SCHEMA_VERSION - 1} to ${CENTRAL_SCHEMA_VERSION}), but it cannot be written: ${mount.workspace} is on a disk mounted read-only.`,
    );
  });

  it('on a full disk is opened read-only, saying the disk is full', async () => {
    mount = await workspaceOnMount();
    mount.fill();
    const session = openTestSession(mount);
    expect(await session.call('workspace.get', {})).toMatchObject({ readOnly: true, readOnlyReason: 'the disk is full' });
    expect(await session.call('libraries.list', {})).toHaveLength(1);
    const refused = await session.dispatch('libraries.create', { spec: { lib_name: 'another' } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'read_only' } });
    expect(!refused.ok && refused.error.message).toContain(`(the disk is full): the database ${join(mount.workspace, 'benchtop.db')} cannot be changed`);
    session.close();
  });

  it('that fills up while open names the database and says the disk is full', async () => {
    mount = await workspaceOnMount();
    const session = openTestSession(mount);
    expect((await session.call('workspace.get', {})).readOnly).toBe(false);
    mount.fill();
    // Enough rows to need new pages, which a full disk cannot give.
    const big = 'A'.repeat(200_000);
    const result = await session.dispatch('libraries.create', { spec: { lib_name: 'big', description: big } });
    expect(result).toEqual({
      ok: false,
      error: { code: 'io_error', message: `The database ${join(mount.workspace, 'benchtop.db')} could not be written: the disk is full. Free some space and try again.` },
    });
    session.close();
    expect(existsSync(join(mount.workspace, 'benchtop.db'))).toBe(true);
  });
});
