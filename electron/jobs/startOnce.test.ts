/**
 * A job never starts twice. The app is SIGKILLed (a real separate process) between spawning a job
 * and recording it; the next runner on the workspace finds the job's wrapper by its exit file and
 * re-attaches it instead of starting the job again. Plus the other ways a job can be left
 * `starting` or `pending` with a process behind it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jobWrapperPath, wrapperArgs } from './wrapper';
import { NEVER_STARTED_MESSAGE } from './runner';
import { bundleFixtureHost, harness, killLeftovers, removeFixtureHost, sleep, waitDone, waitFor, type Harness } from './testkit';

const ROOT = join(import.meta.dirname, '../..');
let HOST = '';

let h: Harness | undefined;
const children: ChildProcess[] = [];
const groups: number[] = [];

beforeAll(async () => {
  HOST = await bundleFixtureHost('startingHost');
});

afterEach(async () => {
  killLeftovers(children, groups);
  await h?.cleanup();
  h = undefined;
});

afterAll(() => removeFixtureHost(HOST));

/** Live processes whose command line mentions `needle` (counted straight from /proc). */
function processesMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (/\) [ZX] /.test(stat)) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes(needle)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

const STEP = 'read_mapping';
const EXIT = `runs/run1/logs/${STEP}-1.exit`;
const LOG = `runs/run1/logs/${STEP}-1.log`;

/** Prints one `started` line per start, counts its starts in ran.txt, ticks until ./go exists. */
const JOB = ['sh', '-c', 'echo "started $$"; echo run >> ran.txt; while [ ! -e go ]; do echo tick; sleep 0.1; done; echo finished'];

function insertJob(x: Harness, status: 'pending' | 'starting', startedAt: string | null, exitFile: string | null): number {
  mkdirSync(join(x.dir, 'runs/run1/logs'), { recursive: true });
  const result = x.workspace.db
    .prepare(
      `INSERT INTO jobs (run_id, step_name, attempt, status, argv, created_at, started_at, log_file, exit_file)
       VALUES ('run1', ?, 1, ?, ?, '2024-01-01T00:00:00Z', ?, ?, ?)`,
    )
    .run(STEP, status, JSON.stringify(JOB), startedAt, LOG, exitFile);
  return Number(result.lastInsertRowid);
}

describe('a job never starts twice', () => {
  it('the app SIGKILLed between spawning a job and recording it: the next runner re-attaches the one process', async () => {
    const x = (h = harness());
    const cwd = join(x.dir, 'runs/run1', STEP);
    const marker = join(x.root, 'spawned');
    const host = spawn(process.execPath, [HOST, x.dir, cwd, '--', ...JOB], {
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: ROOT,
      env: { ...process.env, BENCHTOP_TEST_PAUSE_AFTER_SPAWN: marker },
    });
    children.push(host);
    let stderr = '';
    host.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const pid = await waitFor(() => {
      if (host.exitCode !== null) throw new Error(`the host ended early: ${stderr}`);
      return existsSync(marker) ? Number(readFileSync(marker, 'utf8')) : undefined;
    }, 20_000, 'the host to spawn the job');
    groups.push(pid);
    const exitAbs = join(x.dir, EXIT);
    const logAbs = join(x.dir, LOG);
    await waitFor(() => readFileSync(logAbs, 'utf8').includes('tick'), 10_000, 'the job to write');

    const exited = new Promise<void>((resolve) => host.once('exit', () => resolve()));
    host.kill('SIGKILL');
    await exited;
    expect(host.signalCode).toBe('SIGKILL');
    expect(processesMentioning(exitAbs)).toEqual([pid]); // the job outlived the app
    const before = readFileSync(logAbs, 'utf8');

    const next = x.reopen({ syncMs: 100, pollMs: 100 });
    const id = (next.workspace.db.prepare('SELECT id FROM jobs').pluck().get() as number);
    expect(next.runner.get(id).status).toBe('starting'); // what the killed app had committed
    const result = next.runner.reconcile();
    expect(result).toEqual({ reattached: [id], finished: [], interrupted: [], started: [] });
    expect(next.runner.get(id)).toMatchObject({ status: 'running', pid, pgid: pid });
    expect(x.workspace.db.prepare("SELECT status FROM runs WHERE id = 'run1'").pluck().get()).toBe('running');

    await sleep(600); // several periodic syncs later: still one process, still one start
    expect(processesMentioning(exitAbs)).toEqual([pid]);
    const after = readFileSync(logAbs, 'utf8');
    expect(after.startsWith(before)).toBe(true); // the log was not truncated
    expect(after.match(/^started /gm)).toHaveLength(1);
    expect(readFileSync(join(cwd, 'ran.txt'), 'utf8')).toBe('run\n');
    // Following resumed where the log stood, not from its start.
    await waitFor(() => next.recorder.logs(id).length > 0, 5000, 'log events');
    expect(next.recorder.logs(id)[0]!.offset).toBeGreaterThanOrEqual(Buffer.byteLength(before));

    writeFileSync(join(cwd, 'go'), '');
    const done = await waitDone(next.runner, id);
    expect(done).toMatchObject({ status: 'completed', exitCode: 0, pid });
    expect(readFileSync(logAbs, 'utf8')).toMatch(/^started \d+\n(tick\n)+finished\n$/);
    expect(readFileSync(join(cwd, 'ran.txt'), 'utf8')).toBe('run\n');
    expect(next.workspace.db.prepare('SELECT COUNT(*) FROM jobs').pluck().get()).toBe(1);
    expect(processesMentioning(exitAbs)).toEqual([]);
  });

  it('a job left `starting` long ago with no process and no exit file is interrupted, never started', () => {
    const x = (h = harness());
    const id = insertJob(x, 'starting', '2024-01-01T00:00:01Z', EXIT);
    const result = x.runner.reconcile();
    expect(result).toEqual({ reattached: [], finished: [], interrupted: [id], started: [] });
    expect(x.runner.get(id)).toMatchObject({ status: 'interrupted', pid: null, error: NEVER_STARTED_MESSAGE });
    expect(existsSync(join(x.dir, 'runs/run1', STEP, 'ran.txt'))).toBe(false);
    expect(x.workspace.db.prepare("SELECT status FROM runs WHERE id = 'run1'").pluck().get()).toBe('interrupted');
  });

  it('a job claimed a moment ago by another Benchtop is left `starting`, and can be killed before it runs', () => {
    const x = (h = harness());
    const id = insertJob(x, 'starting', new Date().toISOString(), EXIT);
    expect(x.runner.reconcile()).toEqual({ reattached: [], finished: [], interrupted: [], started: [] });
    expect(x.runner.get(id).status).toBe('starting');
    expect(x.runner.counts()).toEqual({ running: 1, pending: 0 });
    expect(x.runner.kill(id)).toMatchObject({ status: 'killed', error: 'Killed by the user before it started' });
  });

  it('a `starting` job whose wrapper has ended takes its exit code from the exit file', () => {
    const x = (h = harness());
    const id = insertJob(x, 'starting', '2024-01-01T00:00:01Z', EXIT);
    writeFileSync(join(x.dir, EXIT), '3\n');
    expect(x.runner.reconcile().finished).toEqual([id]);
    expect(x.runner.get(id)).toMatchObject({ status: 'failed', exitCode: 3, error: 'exited with code 3' });
  });

  it('a `pending` job that an older Benchtop spawned without recording it is re-attached, not started again', async () => {
    const x = (h = harness());
    const id = insertJob(x, 'pending', null, null);
    const cwd = join(x.dir, 'runs/run1', STEP);
    mkdirSync(cwd, { recursive: true });
    const exitAbs = join(x.dir, EXIT);
    const logAbs = join(x.dir, LOG);
    writeFileSync(logAbs, '');
    // Started as a Benchtop without the `starting` status did: the wrapper runs, the row still says pending.
    const wrapper = spawn('/bin/sh', wrapperArgs(jobWrapperPath(), exitAbs, JOB), { cwd, detached: true, stdio: ['ignore', 'ignore', 'ignore'] });
    groups.push(wrapper.pid!);
    await waitFor(() => existsSync(join(cwd, 'ran.txt')), 5000, 'the job to start');
    appendFileSync(logAbs, 'written by the first start\n');

    const result = x.runner.reconcile();
    expect(result).toEqual({ reattached: [id], finished: [], interrupted: [], started: [] });
    expect(x.runner.get(id)).toMatchObject({ status: 'running', pid: wrapper.pid });
    expect(processesMentioning(exitAbs)).toEqual([wrapper.pid]);
    writeFileSync(join(cwd, 'go'), '');
    expect(await waitDone(x.runner, id)).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(readFileSync(join(cwd, 'ran.txt'), 'utf8')).toBe('run\n');
    expect(readFileSync(logAbs, 'utf8')).toBe('written by the first start\n');
  });

  it('refuses to start a pending job whose log already holds output, and leaves the log as it is', async () => {
    const x = (h = harness());
    const id = insertJob(x, 'pending', null, null);
    writeFileSync(join(x.dir, LOG), 'output of a start nobody recorded\n');
    expect(x.runner.reconcile().started).toEqual([id]);
    const job = await waitDone(x.runner, id);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/^Could not start: its log \(runs\/run1\/logs\/read_mapping-1\.log\) already holds the output of an earlier start$/);
    expect(readFileSync(join(x.dir, LOG), 'utf8')).toBe('output of a start nobody recorded\n');
    expect(existsSync(join(x.dir, 'runs/run1', STEP, 'ran.txt'))).toBe(false);
  });
});
