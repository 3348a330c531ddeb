import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestSession, tempDirs } from '../../tests/tempWorkspace';
import type { Session } from '../api/session';
import type { BusEvent } from '../api/events';
import type { JobInfo, LogChunk } from '../../shared/schemas/jobs';
import { main } from '../cli/main';
import { waitDone } from './testkit';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function setup(): { session: Session; dirs: ReturnType<typeof tempDirs>; events: BusEvent[] } {
  const dirs = tempDirs('benchtop-jobs-api-');
  const session = openTestSession(dirs);
  const events: BusEvent[] = [];
  const off = session.events.subscribe((e) => events.push(e));
  cleanups.push(() => dirs.cleanup());
  cleanups.push(async () => {
    off();
    for (const j of session.jobs.list({ status: 'running' })) if (j.pgid) process.kill(-j.pgid, 'SIGKILL');
    await session.jobs.settled();
    session.close();
  });
  session.workspace.db.prepare("INSERT INTO runs (id, name) VALUES ('run1', 'Run 1')").run();
  return { session, dirs, events };
}

function enqueue(session: Session, argv: string[], step = 'qc'): JobInfo {
  return session.jobs.enqueue({ runId: 'run1', step, argv, tool: null, toolVersion: null, cwd: join(session.workspace.layout.runsDir, 'run1', step) });
}

describe('jobs operations', () => {
  it('get, list, log tail, read and search, through the dispatcher', async () => {
    const { session, events } = setup();
    const job = enqueue(session, ['sh', '-c', 'for i in 1 2 3; do echo "line $i"; done; echo Needle; exit 2']);
    await waitDone(session.jobs, job.id);
    const got = await session.call('jobs.get', { id: job.id });
    expect(got).toMatchObject({ id: job.id, runId: 'run1', step: 'qc', attempt: 1, status: 'failed', exitCode: 2 });
    expect(await session.call('jobs.list', { runId: 'run1' })).toHaveLength(1);
    expect(await session.call('jobs.list', { status: 'completed' })).toHaveLength(0);
    const tail = await session.call('jobs.logTail', { id: job.id });
    expect(tail.text).toBe('line 1\nline 2\nline 3\nNeedle\n');
    const read = await session.call('jobs.logRead', { id: job.id, offset: 7, maxBytes: 7 });
    expect(read).toMatchObject({ text: 'line 2\n', offset: 7, next: 14 });
    const found = await session.call('jobs.logSearch', { id: job.id, query: 'needle' });
    expect(found).toEqual({ matches: [{ line: 4, offset: 21, text: 'Needle' }], truncated: false });
    // events went out on the session's bus
    const statuses = events.filter((e) => e.name === 'job.status').map((e) => (e.payload as JobInfo).status);
    expect(statuses).toEqual(expect.arrayContaining(['pending', 'running', 'failed']));
    const text = events.filter((e) => e.name === 'job.log').map((e) => (e.payload as LogChunk).text).join('');
    expect(text).toBe(tail.text);
  });

  it('checks requests: unknown job, bad queries, finished jobs cannot be killed', async () => {
    const { session } = setup();
    const job = enqueue(session, ['true']);
    await waitDone(session.jobs, job.id);
    const fail = async (op: string, req: unknown) => {
      const r = await session.dispatch(op, req);
      return r.ok ? 'ok' : r.error.code;
    };
    expect(await fail('jobs.get', { id: 999 })).toBe('not_found');
    expect(await fail('jobs.get', { id: 'x' })).toBe('invalid_request');
    expect(await fail('jobs.logSearch', { id: job.id, query: '' })).toBe('invalid_request');
    expect(await fail('jobs.logSearch', { id: job.id, query: 'x'.repeat(201) })).toBe('invalid_request');
    expect(await fail('jobs.logRead', { id: job.id, offset: -1 })).toBe('invalid_request');
    expect(await fail('jobs.setConcurrency', { max: 0 })).toBe('invalid_request');
    expect(await fail('jobs.setConcurrency', { max: 65 })).toBe('invalid_request');
    expect(await fail('jobs.kill', { id: job.id })).toBe('conflict');
  });

  it('kill answers once the job is killed', async () => {
    const { session } = setup();
    const job = enqueue(session, ['sleep', '300']);
    const killed = await session.call('jobs.kill', { id: job.id });
    expect(killed.status).toBe('killed');
  });

  it('setConcurrency is remembered in settings.json and read by the next session', async () => {
    const { session, dirs } = setup();
    expect(await session.call('jobs.setConcurrency', { max: 3 })).toEqual({ max: 3, running: 0, pending: 0 });
    expect(JSON.parse(readFileSync(join(dirs.config, 'settings.json'), 'utf8')).maxConcurrentJobs).toBe(3);
    const again = openTestSession(dirs);
    try {
      expect(again.jobs.maxConcurrent).toBe(3);
      expect((await again.call('jobs.concurrency', {})).max).toBe(3);
    } finally {
      again.close();
    }
  });

  it('switching workspace replaces the runner', () => {
    const { session, dirs } = setup();
    const before = session.jobs;
    session.switchWorkspace(join(dirs.root, 'other'));
    expect(session.jobs).not.toBe(before);
    expect(() => before.kill(1)).toThrow(/closed/);
    expect(session.jobs.list()).toEqual([]);
  });
});

describe('benchtop jobs (CLI)', () => {
  async function cli(args: string[], config: string): Promise<{ code: number; out: string }> {
    const lines: string[] = [];
    const previous = process.env.BENCHTOP_CONFIG_DIR;
    process.env.BENCHTOP_CONFIG_DIR = config;
    try {
      const code = await main(args, (line) => lines.push(line) > 0);
      return { code, out: lines.join('\n') };
    } finally {
      process.env.BENCHTOP_CONFIG_DIR = previous;
    }
  }

  it('show, logs --follow and kill', async () => {
    const { session, dirs } = setup();
    const w = dirs.workspace;
    const job = enqueue(session, ['sh', '-c', 'echo first; sleep 0.6; echo second; sleep 0.6; echo third']);
    const shown = await cli(['jobs', 'show', String(job.id), '--workspace', w, '--json'], dirs.config);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.out)).toMatchObject({ id: job.id, status: 'running' });
    const human = await cli(['jobs', 'show', String(job.id), '--workspace', w], dirs.config);
    expect(human.out).toMatch(/Command: +sh -c 'echo first; sleep 0.6;/);
    const followed = await cli(['jobs', 'logs', String(job.id), '--follow', '--workspace', w], dirs.config);
    expect(followed).toEqual({ code: 0, out: 'first\nsecond\nthird' });
    expect(session.jobs.get(job.id).status).toBe('completed');
    expect((await cli(['jobs', 'logs', String(job.id), '--workspace', w], dirs.config)).out).toBe('first\nsecond\nthird');

    const long = enqueue(session, ['sleep', '300'], 'fastp');
    const killed = await cli(['jobs', 'kill', String(long.id), '--workspace', w, '--json'], dirs.config);
    expect(killed.code).toBe(0);
    expect(JSON.parse(killed.out).status).toBe('killed');
    await waitDone(session.jobs, long.id);
    expect(session.jobs.get(long.id).status).toBe('killed');
    expect((await cli(['jobs', 'kill', String(long.id), '--workspace', w], dirs.config)).code).toBe(1);
    expect((await cli(['jobs', 'show', 'abc', '--workspace', w], dirs.config)).code).toBe(1);
  });
});
