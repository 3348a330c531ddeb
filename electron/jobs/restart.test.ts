/**
 * The serving process dies with SIGKILL while a job runs (real processes, real SQLite): the job
 * carries on detached, and the next Benchtop on the workspace re-attaches it or records its end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTestSession, tempDirs } from '../../tests/tempWorkspace';
import type { JobInfo } from '../../shared/schemas/jobs';
import { groupMembers, procStat } from './proc';
import { bundleFixtureHost, killLeftovers, removeFixtureHost, sleep, waitDone, waitFor } from './testkit';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/benchtop.js');
const BUILT = join(ROOT, 'dist/cli/benchtop.js');
let HOST = '';

interface HostInfo {
  jobId: number;
  pid: number;
  port: number;
  token: string;
}

const children: ChildProcess[] = [];
const groups: number[] = [];
let dirs = tempDirs('benchtop-restart-');

beforeAll(async () => {
  HOST = await bundleFixtureHost('servingHost');
});

afterEach(async () => {
  killLeftovers(children, groups);
  await sleep(50);
  dirs.cleanup();
  dirs = tempDirs('benchtop-restart-');
});

afterAll(() => removeFixtureHost(HOST));

async function firstLine(child: ChildProcess, match: (line: string) => boolean, timeoutMs = 20_000): Promise<string> {
  const rl = createInterface({ input: child.stdout! });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no output within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
      rl.on('line', (line) => {
        if (match(line)) {
          clearTimeout(timer);
          resolve(line);
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`exited with ${code} before answering; stderr: ${stderr}`));
      });
    });
  } finally {
    rl.removeAllListeners('line');
  }
}

/** A serving Benchtop (a separate node process) that has started `argv` as a job. */
async function startHost(argv: string[]): Promise<{ child: ChildProcess; info: HostInfo }> {
  const child = spawn(process.execPath, [HOST, dirs.workspace, dirs.config, join(dirs.root, 'renderer'), '--', ...argv], {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: ROOT,
  });
  children.push(child);
  const info = JSON.parse(await firstLine(child, (l) => l.startsWith('{'))) as HostInfo;
  groups.push(info.pid);
  return { child, info };
}

async function sigkill(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
  expect(child.signalCode).toBe('SIGKILL');
}

async function op<T>(port: number, token: string, name: string, request: unknown): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${port}/api/op/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Benchtop-Token': token },
    body: JSON.stringify(request),
  });
  const body = (await res.json()) as { ok: boolean; value: T; error?: { message: string } };
  if (!body.ok) throw new Error(body.error?.message);
  return body.value;
}

function alive(pid: number): boolean {
  const stat = procStat(pid);
  return stat !== null && stat.state !== 'Z';
}

describe('restart after the serving process is SIGKILLed', () => {
  it('re-attaches a job that is still running, then records its exit 0', async () => {
    const { child, info } = await startHost(['sh', '-c', 'echo started; sleep 2.5; echo finished']);
    const before = await op<JobInfo>(info.port, info.token, 'jobs.get', { id: info.jobId });
    expect(before).toMatchObject({ status: 'running', pid: info.pid });
    await sigkill(child);
    expect(alive(info.pid)).toBe(true); // the job outlived its server

    const session = openTestSession(dirs);
    try {
      const job = session.jobs.get(info.jobId);
      expect(job).toMatchObject({ status: 'running', pid: info.pid });
      const done = await waitDone(session.jobs, info.jobId);
      expect(done).toMatchObject({ status: 'completed', exitCode: 0, pid: info.pid });
      expect(readFileSync(join(dirs.workspace, done.logFile!), 'utf8')).toBe('started\nfinished\n');
    } finally {
      session.close();
    }
  });

  it('the real `benchtop serve`, started again, re-attaches the job and reports it finished', async () => {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`npm run build\` first (npm test does).`);
    const { child, info } = await startHost(['sh', '-c', 'sleep 2; exit 0']);
    await sigkill(child);
    const serve = spawn(process.execPath, [BIN, 'serve', '--workspace', dirs.workspace, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, BENCHTOP_CONFIG_DIR: dirs.config, BENCHTOP_WORKSPACE: '' },
    });
    children.push(serve);
    const line = await firstLine(serve, (l) => l.includes('serving http'));
    const url = new URL(/https?:\/\/\S+/.exec(line)![0]);
    const port = Number(url.port);
    const token = new URLSearchParams(url.hash.slice(1)).get('token')!;
    const reattached = await op<JobInfo>(port, token, 'jobs.get', { id: info.jobId });
    expect(reattached).toMatchObject({ status: 'running', pid: info.pid });
    let done = reattached;
    for (const deadline = Date.now() + 10_000; done.status === 'running' && Date.now() < deadline; ) {
      await sleep(100);
      done = await op<JobInfo>(port, token, 'jobs.get', { id: info.jobId });
    }
    expect(done).toMatchObject({ status: 'completed', exitCode: 0 });
    serve.kill('SIGTERM');
  });

  it('a job that ended while no Benchtop was running takes its exit code from the wrapper', async () => {
    const { child, info } = await startHost(['sh', '-c', 'sleep 0.5; exit 0']);
    await sigkill(child);
    await waitFor(() => !alive(info.pid), 5000, 'the job to end');
    expect(readFileSync(join(dirs.workspace, 'runs/run1/logs/read_mapping-1.exit'), 'utf8')).toBe('0\n');
    const session = openTestSession(dirs);
    try {
      expect(session.jobs.get(info.jobId)).toMatchObject({ status: 'completed', exitCode: 0, error: null });
    } finally {
      session.close();
    }
  });

  it('a job whose process is gone and left no exit file is interrupted — and only then', async () => {
    const { child, info } = await startHost(['sleep', '300']);
    await sigkill(child);
    expect(alive(info.pid)).toBe(true);
    process.kill(-info.pid, 'SIGKILL'); // the job dies too, before its wrapper can write anything
    await waitFor(() => groupMembers(info.pid).length === 0, 5000, 'the job group to die');
    expect(existsSync(join(dirs.workspace, 'runs/run1/logs/read_mapping-1.exit'))).toBe(false);
    const session = openTestSession(dirs);
    try {
      const job = session.jobs.get(info.jobId);
      expect(job.status).toBe('interrupted');
      expect(job.error).toMatch(/lost track/);
      expect(existsSync(join(dirs.workspace, job.logFile!))).toBe(true);
    } finally {
      session.close();
    }
  });
});
