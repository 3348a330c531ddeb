import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openTestSession, tempDirs } from '../../tests/tempWorkspace';
import { unfinishedRunsMessage } from '../../shared/format';
import { createRun } from './service';

const BIN = join(import.meta.dirname, '../../bin/benchtop.js');
const dirs = tempDirs('benchtop-unfinished-');
afterAll(() => dirs.cleanup());

let n = 0;
function workspace(): { workspace: string; config: string } {
  n++;
  return { workspace: join(dirs.root, `ws${n}`), config: dirs.config };
}

/** A pid no process has any more: a child that has exited and been reaped. */
function deadPid(): number {
  const child = spawnSync('true');
  return child.pid!;
}

function fileOf(path: string, bytes: number): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, Buffer.alloc(bytes, 65));
  return path;
}

function auditActions(dbFile: string, action: string): { entity_id: string; details: string }[] {
  const db = new Database(dbFile, { readonly: true });
  try {
    return db.prepare('SELECT entity_id, details FROM audit_log WHERE action = ? ORDER BY id').all(action) as { entity_id: string; details: string }[];
  } finally {
    db.close();
  }
}

describe('unfinished run folders, dealt with when the workspace opens', () => {
  it('moves a dead creation\'s temporary folder and an unrecorded bare run folder to trash/, says so, and leaves the rest', async () => {
    const ws = workspace();
    let session = openTestSession(ws);
    const runs = session.workspace.layout.runsDir;
    const kept = await createRun(session.workspace, { name: 'kept', inputs: [] });
    const bare = randomUUID();
    const leftovers = {
      dead: `.${randomUUID()}.${deadPid()}.partial`,
      alive: `.${randomUUID()}.${process.pid}.partial`,
    };
    fileOf(join(runs, leftovers.dead, 'rawdata', 'big_R1.fastq'), 3000);
    mkdirSync(join(runs, leftovers.dead, 'logs'));
    fileOf(join(runs, leftovers.alive, 'rawdata', 'R1.fastq'), 10);
    fileOf(join(runs, bare, 'rawdata', 'R1.fastq'), 1000);
    mkdirSync(join(runs, bare, 'logs'));
    // Not Benchtop's shape of an unfinished creation: a step's output in it, or a name it never gives.
    const withOutput = randomUUID();
    fileOf(join(runs, withOutput, 'qc', 'report.html'), 5);
    fileOf(join(runs, 'my-notes', 'rawdata', 'x'), 5);
    session.close();

    session = openTestSession(ws);
    const listed = readdirSync(runs).sort();
    expect(listed).toEqual([kept.id, leftovers.alive, 'my-notes', withOutput].sort());
    const notice = await session.call('workspace.unfinishedRuns', {});
    const trash = join(ws.workspace, 'trash');
    expect(notice.trashDir).toBe(trash);
    expect(notice.totalBytes).toBe(4000);
    expect(notice.folders.map((f) => f.name).sort()).toEqual([leftovers.dead, bare].sort());
    for (const f of notice.folders) {
      expect(f.path.startsWith(`${trash}/`)).toBe(true);
      expect(existsSync(join(f.path, 'rawdata'))).toBe(true);
    }
    expect(statSync(join(notice.folders.find((f) => f.name === leftovers.dead)!.path, 'rawdata', 'big_R1.fastq')).size).toBe(3000);
    expect(auditActions(session.workspace.layout.centralDb, 'runs.unfinished_cleanup')).toHaveLength(1);
    expect(unfinishedRunsMessage(notice.folders.length, notice.totalBytes)).toBe('Moved 2 unfinished run folders (3.91 KB) to trash/ — they were left by a run creation that did not finish.');
    session.close();

    // Opening again moves nothing more and keeps the notice until it is dismissed.
    session = openTestSession(ws);
    expect((await session.call('workspace.unfinishedRuns', {})).folders).toHaveLength(2);
    expect(await session.call('workspace.dismissUnfinishedRuns', {})).toEqual({ dismissed: 2 });
    expect((await session.call('workspace.unfinishedRuns', {})).folders).toEqual([]);
    expect(readdirSync(trash).filter((name) => name !== 'unfinished-runs.json')).toHaveLength(2); // the folders stay
    expect(auditActions(session.workspace.layout.centralDb, 'runs.unfinished_cleanup')).toHaveLength(1);
    session.close();
  });

  it('gives a recorded run whose creation died before the rename its folder', async () => {
    const ws = workspace();
    let session = openTestSession(ws);
    const run = await createRun(session.workspace, { name: 'recorded', inputs: [] });
    const runs = session.workspace.layout.runsDir;
    session.close();
    // As a kill between the commit and the rename leaves it.
    const partial = join(runs, `.${run.id}.${deadPid()}.partial`);
    spawnSync('mv', [join(runs, run.id), partial]);
    expect(existsSync(partial)).toBe(true);

    session = openTestSession(ws);
    expect(readdirSync(runs)).toEqual([run.id]);
    expect(statSync(join(runs, run.id, 'rawdata')).isDirectory()).toBe(true);
    expect((await session.call('workspace.unfinishedRuns', {})).folders).toEqual([]);
    expect(JSON.parse(auditActions(session.workspace.layout.centralDb, 'runs.unfinished_cleanup')[0]!.details)).toMatchObject({ moved: [], finished: [run.id] });
    session.close();
  });
});

describe('run inputs from outside the workspace', () => {
  it('are allowed, copied or linked, and each is recorded in the audit trail with its real path', async () => {
    const ws = workspace();
    const session = openTestSession(ws);
    const outside = fileOf(join(dirs.root, `data${n}`, 'S1_R1.fastq'), 100);
    const viaLink = join(dirs.root, `data${n}`, 'alias_R2.fastq');
    symlinkSync(fileOf(join(dirs.root, `data${n}`, 'real', 'S1_R2.fastq'), 50), viaLink);
    const inside = fileOf(join(ws.workspace, 'references', 'I1.fastq'), 10);
    const run = await createRun(session.workspace, {
      name: 'outside',
      inputs: [
        { role: 'R1', path: outside },
        { role: 'R2', path: viaLink },
        { role: 'I1', path: inside },
      ],
    });
    const linked = await createRun(session.workspace, { name: 'linked', inputs: [{ role: 'R1', path: outside }], mode: 'link' });
    const rows = auditActions(session.workspace.layout.centralDb, 'runs.input_outside_workspace').map((r) => ({ run: r.entity_id, ...JSON.parse(r.details) }));
    expect(rows).toEqual([
      { run: run.id, role: 'R1', mode: 'copy', path: outside },
      { run: run.id, role: 'R2', mode: 'copy', path: join(dirs.root, `data${n}`, 'real', 'S1_R2.fastq') },
      { run: linked.id, role: 'R1', mode: 'link', path: outside },
    ]);
    session.close();
  });
});

describe('a killed `benchtop runs create`', () => {
  it('leaves no run and nothing under runs/ but its temporary folder, which the next open moves to trash/', async () => {
    const ws = workspace();
    mkdirSync(ws.workspace, { recursive: true });
    // A sparse 2 GB input: big enough that the copy is still running when it is killed.
    const big = join(dirs.root, `big${n}_R1.fastq`);
    const fd = openSync(big, 'w');
    ftruncateSync(fd, 2 * 1024 ** 3);
    closeSync(fd);
    const child = spawn(process.execPath, [BIN, 'runs', 'create', '--name', 'big', '--input', `R1=${big}`], {
      env: { ...process.env, BENCHTOP_CONFIG_DIR: ws.config, BENCHTOP_WORKSPACE: ws.workspace },
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const runs = join(ws.workspace, 'runs');
    const partialFile = (): string | null => {
      const name = existsSync(runs) ? readdirSync(runs).find((f) => f.endsWith('.partial')) : undefined;
      const file = name ? join(runs, name, 'rawdata', `big${n}_R1.fastq`) : null;
      return file && existsSync(file) && statSync(file).size > 0 ? file : null;
    };
    const deadline = Date.now() + 30_000;
    while (!partialFile() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(partialFile(), 'the copy never started').not.toBeNull();
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const [leftover, ...others] = readdirSync(runs);
    expect(others).toEqual([]);
    expect(leftover).toMatch(new RegExp(`^\\.[0-9a-f-]{36}\\.${child.pid}\\.partial$`));
    const copied = statSync(join(runs, leftover!, 'rawdata', `big${n}_R1.fastq`)).size;
    expect(copied).toBeLessThan(2 * 1024 ** 3);
    const db = new Database(join(ws.workspace, 'benchtop.db'), { readonly: true });
    expect(db.prepare('SELECT COUNT(*) FROM runs').pluck().get()).toBe(0);
    db.close();

    const status = spawnSync(process.execPath, [BIN, 'status'], { encoding: 'utf8', env: { ...process.env, BENCHTOP_CONFIG_DIR: ws.config, BENCHTOP_WORKSPACE: ws.workspace } });
    expect(status.stdout).toContain(`Moved 1 unfinished run folder (`);
    expect(status.stdout).toContain(`It is in ${join(ws.workspace, 'trash')}.`);
    expect(readdirSync(runs)).toEqual([]);
    const session = openTestSession(ws);
    const notice = await session.call('workspace.unfinishedRuns', {});
    expect(notice.folders).toMatchObject([{ name: leftover, bytes: copied }]);
    expect(JSON.parse(readFileSync(join(ws.workspace, 'trash', 'unfinished-runs.json'), 'utf8')).folders).toHaveLength(1);
    session.close();
  });
});
