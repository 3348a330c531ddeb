import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/errors';
import { bootId, groupMembers, procIdentity } from './proc';
import { harness, sleep, waitDone, waitFor, type Harness } from './testkit';
import { parseProgress } from './runner';

let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

function setup(options: Parameters<typeof harness>[0] = {}): Harness {
  h = harness(options);
  return h;
}

function stepDir(x: Harness, step: string): string {
  return join(x.dir, 'runs', 'run1', step);
}

function spec(x: Harness, step: string, argv: string[], extra: { progress?: boolean; cwd?: string } = {}) {
  return { runId: 'run1', step, argv, tool: argv[0] ?? null, toolVersion: null, cwd: extra.cwd ?? stepDir(x, step), progress: extra.progress };
}

function runRow(x: Harness): { status: string; current_step: string | null } {
  return x.workspace.db.prepare("SELECT status, current_step FROM runs WHERE id = 'run1'").get() as { status: string; current_step: string | null };
}

function logText(x: Harness, logFile: string | null): string {
  return readFileSync(join(x.dir, logFile!), 'utf8');
}

describe('JobRunner: running jobs', () => {
  it("a failed job's error ends with the last line it printed (not ##progress lines), cut to a readable length", async () => {
    const x = setup();
    const long = 'x'.repeat(1000);
    const job = x.runner.enqueue(spec(x, 'qc', ['sh', '-c', `echo 'reads.bam: truncated BGZF block at byte 597321'; echo '##progress 3 10 reads'; exit 1`]));
    expect((await waitDone(x.runner, job.id)).error).toBe('exited with code 1: reads.bam: truncated BGZF block at byte 597321');
    const loud = x.runner.enqueue(spec(x, 'qc', ['sh', '-c', `echo ${long}; exit 2`]));
    expect((await waitDone(x.runner, loud.id)).error).toBe(`exited with code 2: ${'x'.repeat(400)}…`);
  });

  it('records a failing job: status, exit code, both output streams in its log, the run state', async () => {
    const x = setup();
    const job = x.runner.enqueue(spec(x, 'qc', ['sh', '-c', 'echo hello; echo err >&2; exit 3']));
    expect(job.attempt).toBe(1);
    expect(job.logFile).toBe('runs/run1/logs/qc-1.log');
    const done = await waitDone(x.runner, job.id);
    expect(done.status).toBe('failed');
    expect(done.exitCode).toBe(3);
    expect(done.error).toBe('exited with code 3: err'); // its last words say why
    expect(done.pid).toBeGreaterThan(0);
    expect(done.pgid).toBe(done.pid);
    expect(done.startedAt).not.toBeNull();
    expect(done.completedAt).not.toBeNull();
    expect(logText(x, done.logFile)).toBe('hello\nerr\n');
    expect(readFileSync(join(x.dir, 'runs/run1/logs/qc-1.exit'), 'utf8').trim()).toBe('3');
    expect(runRow(x)).toEqual({ status: 'failed', current_step: null });
    const statuses = x.recorder.statuses(job.id).map((s) => s.status);
    expect(statuses[0]).toBe('pending');
    expect(statuses).toContain('running');
    expect(statuses.at(-1)).toBe('failed');
  });

  it('records a successful job, and numbers the attempts of a step', async () => {
    const x = setup();
    const first = x.runner.enqueue(spec(x, 'cutadapt', ['sh', '-c', 'echo one']));
    expect((await waitDone(x.runner, first.id)).status).toBe('completed');
    const second = x.runner.enqueue(spec(x, 'cutadapt', ['sh', '-c', 'echo two; exit 0']));
    const other = x.runner.enqueue(spec(x, 'fastp', ['true']));
    expect(second.attempt).toBe(2);
    expect(other.attempt).toBe(1);
    const done = await waitDone(x.runner, second.id);
    await waitDone(x.runner, other.id);
    expect(done).toMatchObject({ status: 'completed', exitCode: 0, error: null, logFile: 'runs/run1/logs/cutadapt-2.log' });
    expect(logText(x, done.logFile)).toBe('two\n');
    expect(logText(x, first.logFile)).toBe('one\n');
    expect(x.runner.list({ runId: 'run1' }).map((j) => [j.step, j.attempt, j.status])).toEqual([
      ['cutadapt', 1, 'completed'],
      ['cutadapt', 2, 'completed'],
      ['fastp', 1, 'completed'],
    ]);
    expect(x.runner.list({ status: 'failed' })).toEqual([]);
    expect(runRow(x)).toEqual({ status: 'completed', current_step: null });
  });

  it('runs in the given working directory and records the argv exactly', async () => {
    const x = setup();
    const job = x.runner.enqueue(spec(x, 'readlen', ['sh', '-c', 'pwd']));
    const done = await waitDone(x.runner, job.id);
    expect(logText(x, done.logFile).trim()).toBe(stepDir(x, 'readlen'));
    expect(done.argv).toEqual(['sh', '-c', 'pwd']);
  });

  it('passes hostile arguments literally, never through a shell', async () => {
    const x = setup();
    const out = join(x.root, 'argv.json');
    const hostile = ['; touch pwned', '$(touch pwned2)', '`touch pwned3`', 'a b  c', "it's", '"q"', '*', 'x\ny', '$HOME', '&& touch pwned4', '| tee pwned5', ''];
    const script = 'require("fs").writeFileSync(process.argv[1], JSON.stringify(process.argv.slice(2)))';
    const job = x.runner.enqueue(spec(x, 'umi', [process.execPath, '-e', script, out, ...hostile]));
    const done = await waitDone(x.runner, job.id);
    expect(done.status).toBe('completed');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(hostile);
    expect(done.argv.slice(4)).toEqual(hostile);
    const printf = x.runner.enqueue(spec(x, 'umi', ['printf', '%s\\n', '; touch pwned', '$(id)', '`id`', 'two words']));
    const printed = await waitDone(x.runner, printf.id);
    expect(logText(x, printed.logFile)).toBe('; touch pwned\n$(id)\n`id`\ntwo words\n');
    const everywhere = [x.root, x.dir, stepDir(x, 'umi'), process.cwd()].flatMap((d) => (existsSync(d) ? readdirSync(d) : []));
    expect(everywhere.filter((f) => f.startsWith('pwned'))).toEqual([]);
  });

  it('refuses a malformed spec and an unknown run', () => {
    const x = setup();
    expect(() => x.runner.enqueue(spec(x, 'qc', []))).toThrow(ApiError);
    expect(() => x.runner.enqueue(spec(x, '../evil', ['true']))).toThrow(/step id/);
    expect(() => x.runner.enqueue({ ...spec(x, 'qc', ['true']), runId: '../x' })).toThrow(/run id/);
    expect(() => x.runner.enqueue({ ...spec(x, 'qc', ['true']), runId: 'nope' })).toThrow(/no run nope/);
    expect(() => x.runner.enqueue({ ...spec(x, 'qc', ['true']), cwd: 'relative' })).toThrow(/absolute/);
    expect(() => x.runner.get(999)).toThrow(/no job 999/);
  });

  it('fails a job whose program does not exist, with the shell saying so in the log', async () => {
    const x = setup();
    const done = await waitDone(x.runner, x.runner.enqueue(spec(x, 'qc', ['/nonexistent/tool', '--flag'])).id);
    expect(done.status).toBe('failed');
    expect(done.exitCode).toBe(127);
    expect(logText(x, done.logFile)).toMatch(/nonexistent\/tool.*not found/);
  });

  it('shows the run running its current step while a job runs', async () => {
    const x = setup();
    const job = x.runner.enqueue(spec(x, 'fastp', ['sleep', '0.5']));
    await waitFor(() => x.runner.get(job.id).status === 'running');
    expect(runRow(x)).toEqual({ status: 'running', current_step: 'fastp' });
    await waitDone(x.runner, job.id);
    expect(runRow(x)).toEqual({ status: 'completed', current_step: null });
  });

  it('reads ##progress lines when the step says it reports progress', async () => {
    const x = setup();
    const argv = ['sh', '-c', 'echo "##progress 5 10 reads"; sleep 0.7; echo "##progress 10 - reads"; sleep 0.3'];
    const job = x.runner.enqueue(spec(x, 'readlen', argv, { progress: true }));
    await waitFor(() => x.recorder.statuses(job.id).some((s) => s.progress?.done === 5), 5000, 'first progress');
    expect(x.recorder.statuses(job.id).find((s) => s.progress)?.progress).toEqual({ done: 5, total: 10, unit: 'reads' });
    await waitDone(x.runner, job.id);
    expect(x.runner.get(job.id).progress).toEqual({ done: 10, total: null, unit: 'reads' });
    const quiet = await waitDone(x.runner, x.runner.enqueue(spec(x, 'qc', argv)).id);
    expect(quiet.progress).toBeNull();
  });

  it('parses progress lines', () => {
    expect(parseProgress('x\n##progress 1 2 files\n##progress 3 4 MB\n')).toEqual({ done: 3, total: 4, unit: 'MB' });
    expect(parseProgress('##progress 7 -\n')).toEqual({ done: 7, total: null, unit: '' });
    expect(parseProgress('say ##progress 1 2 x\n')).toBeNull();
  });
});

describe('JobRunner: kill', () => {
  it('kills the whole process group: child and grandchildren', async () => {
    const x = setup();
    const job = x.runner.enqueue(spec(x, 'read_mapping', ['sh', '-c', 'sleep 300 & sleep 300 & wait']));
    const running = await waitFor(() => {
      const j = x.runner.get(job.id);
      return j.status === 'running' && j.pgid !== null && groupMembers(j.pgid).length >= 4 ? j : undefined;
    }, 5000, 'wrapper, sh and two sleeps');
    const pgid = running.pgid!;
    const killed = await x.runner.killAndWait(job.id);
    expect(killed.status).toBe('killed');
    expect(killed.error).toBe('Killed by the user');
    expect(groupMembers(pgid)).toEqual([]);
    expect(runRow(x)).toEqual({ status: 'killed', current_step: null });
    expect(() => x.runner.kill(job.id)).toThrow(/already ended/);
    const audit = x.workspace.db.prepare("SELECT action, entity_id FROM audit_log WHERE action = 'job.kill'").all();
    expect(audit).toEqual([{ action: 'job.kill', entity_id: String(job.id) }]);
  });

  it('sends KILL after the grace period to a job that ignores TERM', async () => {
    const x = setup({ killGraceMs: 800 });
    const job = x.runner.enqueue(spec(x, 'read_mapping', ['sh', '-c', 'trap "" TERM; sleep 300; echo survived']));
    const running = await waitFor(() => {
      const j = x.runner.get(job.id);
      return j.status === 'running' && groupMembers(j.pgid!).length >= 3 ? j : undefined;
    }, 5000, 'the job to run');
    const t0 = Date.now();
    x.runner.kill(job.id);
    await sleep(400);
    expect(groupMembers(running.pgid!).length).toBeGreaterThan(0); // TERM alone did not do it
    expect(x.runner.get(job.id).status).toBe('running');
    const done = await waitDone(x.runner, job.id);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(750);
    expect(done.status).toBe('killed');
    expect(groupMembers(running.pgid!)).toEqual([]);
    expect(logText(x, done.logFile)).not.toContain('survived');
  });

  it('a kill lets a job that handles TERM end on its own terms', async () => {
    const x = setup({ killGraceMs: 5000 });
    const job = x.runner.enqueue(spec(x, 'qc', ['sh', '-c', 'trap "echo cleaning up; exit 9" TERM; sleep 300 & wait']));
    await waitFor(() => x.runner.get(job.id).status === 'running' && groupMembers(x.runner.get(job.id).pgid!).length >= 3);
    const t0 = Date.now();
    const done = await x.runner.killAndWait(job.id);
    expect(Date.now() - t0).toBeLessThan(4000);
    expect(done).toMatchObject({ status: 'killed', exitCode: 9 });
    expect(logText(x, done.logFile)).toContain('cleaning up');
  });

  it('marks a pending job killed without starting it', async () => {
    const x = setup({ maxConcurrent: 1 });
    const first = x.runner.enqueue(spec(x, 'qc', ['sleep', '300']));
    const second = x.runner.enqueue(spec(x, 'fastp', ['sh', '-c', 'echo should not run']));
    expect(x.runner.get(second.id).status).toBe('pending');
    const killed = x.runner.kill(second.id);
    expect(killed).toMatchObject({ status: 'killed', pid: null, startedAt: null });
    await x.runner.killAndWait(first.id);
    await sleep(300);
    expect(x.runner.get(second.id).status).toBe('killed');
    expect(existsSync(join(x.dir, 'runs/run1/logs/fastp-1.log'))).toBe(false);
  });
});

describe('JobRunner: concurrency', () => {
  it('with a limit of one, a second job waits as pending until the first ends (FIFO)', async () => {
    const x = setup({ maxConcurrent: 1 });
    const a = x.runner.enqueue(spec(x, 'qc', ['sleep', '0.8']));
    const b = x.runner.enqueue(spec(x, 'fastp', ['true']));
    const c = x.runner.enqueue(spec(x, 'umi', ['true']));
    expect(a.status).toBe('running');
    expect(b.status).toBe('pending');
    expect(runRow(x)).toEqual({ status: 'running', current_step: 'qc' });
    await sleep(400);
    expect(x.runner.get(b.id).status).toBe('pending');
    expect(x.runner.counts()).toEqual({ running: 1, pending: 2 });
    const doneA = await waitDone(x.runner, a.id);
    const doneB = await waitDone(x.runner, b.id);
    const doneC = await waitDone(x.runner, c.id);
    expect(doneB.status).toBe('completed');
    expect(doneB.startedAt! >= doneA.completedAt!).toBe(true);
    expect(doneC.startedAt! >= doneB.completedAt!).toBe(true);
  });

  it('raising the limit starts waiting jobs at once', async () => {
    const x = setup({ maxConcurrent: 1 });
    const a = x.runner.enqueue(spec(x, 'qc', ['sleep', '300']));
    const b = x.runner.enqueue(spec(x, 'fastp', ['sleep', '300']));
    expect(x.runner.get(b.id).status).toBe('pending');
    x.runner.maxConcurrent = 2;
    expect(x.runner.get(b.id).status).toBe('running');
    await x.runner.killAndWait(a.id);
    await x.runner.killAndWait(b.id);
  });
});

describe('JobRunner: restarts', () => {
  it('re-attaches a job that is still running after the app went away, and records its end', async () => {
    const x = setup();
    const job = x.runner.enqueue(spec(x, 'read_mapping', ['sh', '-c', 'echo before; sleep 1.5; echo after; exit 0']));
    const running = await waitFor(() => (x.runner.get(job.id).status === 'running' ? x.runner.get(job.id) : undefined));
    // The app "crashes": its runner and database connection go away; the job does not.
    x.runner.close();
    x.workspace.close();
    const next = x.reopen();
    const result = next.runner.reconcile();
    expect(result.reattached).toEqual([job.id]);
    const reattached = next.runner.get(job.id);
    expect(reattached).toMatchObject({ status: 'running', pid: running.pid });
    const done = await waitDone(next.runner, job.id);
    expect(done).toMatchObject({ status: 'completed', exitCode: 0, pid: running.pid });
    // Log following resumed: the line written after the restart arrived as an event.
    expect(next.recorder.logs(job.id).map((c) => c.text).join('')).toContain('after\n');
    expect(readFileSync(join(x.dir, done.logFile!), 'utf8')).toBe('before\nafter\n');
  });

  it('takes the exit code from the wrapper for a job that ended while the app was down', async () => {
    const x = setup();
    const job = x.runner.enqueue(spec(x, 'cutadapt', ['sh', '-c', 'sleep 0.3; exit 4']));
    await waitFor(() => x.runner.get(job.id).status === 'running');
    x.runner.close();
    x.workspace.close();
    await sleep(1000);
    const next = x.reopen();
    expect(next.runner.get(job.id).status).toBe('running'); // what the database still says
    const result = next.runner.reconcile();
    expect(result.finished).toEqual([job.id]);
    expect(next.runner.get(job.id)).toMatchObject({ status: 'failed', exitCode: 4, error: 'exited with code 4' });
  });

  it('marks a job whose process is gone and left no exit code interrupted, keeping its log', async () => {
    const x = setup();
    const dead = spawnSync('true').pid!;
    const log = 'runs/run1/logs/qc-1.log';
    mkdirSync(join(x.dir, 'runs/run1/logs'), { recursive: true });
    writeFileSync(join(x.dir, log), 'half a job\n');
    x.workspace.db
      .prepare(
        "INSERT INTO jobs (run_id, step_name, attempt, status, argv, pid, pgid, proc_start_time, created_at, started_at, log_file) VALUES ('run1', 'qc', 1, 'running', '[\"fastqc\"]', ?, ?, ?, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', ?)",
      )
      .run(dead, dead, `${bootId()} 12345`, log);
    const result = x.runner.reconcile();
    expect(result.interrupted).toHaveLength(1);
    const job = x.runner.get(result.interrupted[0]!);
    expect(job.status).toBe('interrupted');
    expect(job.error).toMatch(/lost track/);
    expect((await x.runner.logTail(job.id)).text).toBe('half a job\n');
    expect(runRow(x)).toEqual({ status: 'interrupted', current_step: null });
  });

  it('does not re-attach a live pid that belongs to another process (start time differs)', async () => {
    const x = setup();
    const mine = procIdentity(process.pid)!;
    const wrong = `${bootId()} ${Number(mine.split(' ')[1]) + 1}`;
    x.workspace.db
      .prepare(
        "INSERT INTO jobs (run_id, step_name, attempt, status, argv, pid, pgid, proc_start_time, created_at, started_at, log_file) VALUES ('run1', 'qc', 1, 'running', '[]', ?, ?, ?, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', 'runs/run1/logs/qc-1.log')",
      )
      .run(process.pid, process.pid, wrong);
    const otherBoot = x.workspace.db
      .prepare(
        "INSERT INTO jobs (run_id, step_name, attempt, status, argv, pid, pgid, proc_start_time, created_at, started_at, log_file) VALUES ('run1', 'qc', 2, 'running', '[]', ?, ?, ?, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', 'runs/run1/logs/qc-2.log')",
      )
      .run(process.pid, process.pid, `another-boot ${mine.split(' ')[1]}`);
    const result = x.runner.reconcile();
    expect(result.reattached).toEqual([]);
    expect(result.interrupted).toHaveLength(2);
    expect(x.runner.get(Number(otherBoot.lastInsertRowid)).status).toBe('interrupted');
    // …and the identity check does accept the real thing:
    expect(procIdentity(process.pid)).toBe(mine);
  });

  it('starts the jobs still pending after a restart, in order, in their working directory', async () => {
    const x = setup({ maxConcurrent: 1 });
    const a = x.runner.enqueue(spec(x, 'qc', ['sleep', '300']));
    const cwd = join(x.root, 'elsewhere');
    const b = x.runner.enqueue(spec(x, 'fastp', ['sh', '-c', 'pwd; echo "##progress 1 2 x"; sleep 0.3'], { cwd, progress: true }));
    const c = x.runner.enqueue(spec(x, 'umi', ['true']));
    x.runner.close();
    x.workspace.close();
    const next = x.reopen({ maxConcurrent: 2 });
    const result = next.runner.reconcile();
    expect(result.reattached).toEqual([a.id]);
    expect(result.started).toEqual([b.id]);
    expect(next.runner.get(c.id).status).toBe('pending');
    const doneB = await waitDone(next.runner, b.id);
    expect(readFileSync(join(x.dir, doneB.logFile!), 'utf8').split('\n')[0]).toBe(cwd);
    expect(doneB.progress).toEqual({ done: 1, total: 2, unit: 'x' });
    expect((await waitDone(next.runner, c.id)).status).toBe('completed');
    await next.runner.killAndWait(a.id);
    expect(next.runner.get(a.id).status).toBe('killed');
  });

  it('a second runner on the same workspace never starts a job twice', async () => {
    const x = setup({ maxConcurrent: 1 });
    const other = x.reopen({ maxConcurrent: 1 });
    const a = x.runner.enqueue(spec(x, 'qc', ['sleep', '0.5']));
    const b = x.runner.enqueue(spec(x, 'fastp', ['sh', '-c', 'echo once']));
    other.runner.reconcile(); // sees a running (re-attaches it) and b pending with no free slot
    expect(other.runner.get(b.id).status).toBe('pending');
    await waitDone(x.runner, a.id);
    const done = await waitDone(x.runner, b.id);
    await sleep(300);
    expect(done.status).toBe('completed');
    expect(readFileSync(join(x.dir, done.logFile!), 'utf8')).toBe('once\n');
    expect(x.workspace.db.prepare('SELECT COUNT(*) FROM jobs').pluck().get()).toBe(2);
  });
});
