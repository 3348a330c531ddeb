import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalExitFile, jobWrapperPath, liveWrappers, wrapperArgs } from './wrapper';
import { groupMembers } from './proc';
import { waitFor } from './testkit';

let dir: string;
const groups: number[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'benchtop-wrapper-'));
});
afterEach(() => {
  // What a program left behind in its background (the wrapper is signalled alone here) goes too.
  for (const g of groups.splice(0)) {
    try {
      process.kill(-g, 'SIGKILL');
    } catch {
      // gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

function run(argv: string[]) {
  const exitFile = join(dir, 'exit');
  const r = spawnSync('/bin/sh', [jobWrapperPath(), exitFile, '--', ...argv], { cwd: dir, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, recorded: existsSync(exitFile) ? readFileSync(exitFile, 'utf8') : null };
}

describe('resources/job-wrapper.sh', () => {
  it('is found, and records the exit status in the file and as its own', () => {
    expect(jobWrapperPath()).toMatch(/resources\/job-wrapper\.sh$/);
    expect(run(['sh', '-c', 'echo out; echo err >&2; exit 3'])).toEqual({ status: 3, stdout: 'out\n', stderr: 'err\n', recorded: '3\n' });
    expect(run(['true']).recorded).toBe('0\n');
    expect(run(['/no/such/program']).recorded).toBe('127\n');
    // The temporary file was renamed into place.
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('records 128+N when the program dies of signal N', () => {
    expect(run(['sh', '-c', 'kill -USR1 $$']).recorded).toBe(`${128 + 10}\n`);
  });

  it('passes arguments literally (no eval, no word splitting, no globbing)', () => {
    const args = ['; touch pwned', '$(touch pwned2)', '`touch pwned3`', 'two  words', '*', "'", '"', '-- x', ''];
    const r = run(['printf', '[%s]\\n', ...args]);
    expect(r.stdout).toBe(args.map((a) => `[${a}]\n`).join(''));
    expect(readdirSync(dir).filter((f) => f.startsWith('pwned'))).toEqual([]);
  });

  it('refuses to run without EXIT_FILE --', () => {
    const r = spawnSync('/bin/sh', [jobWrapperPath(), join(dir, 'exit'), 'true'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/usage/);
  });

  it('passes TERM on to the program and still records its status', async () => {
    const exitFile = join(dir, 'exit');
    // The program cleans up for a moment on TERM, then exits 7.
    const child = spawn('/bin/sh', [jobWrapperPath(), exitFile, '--', 'sh', '-c', 'trap "sleep 0.3; exit 7" TERM; sleep 30 & wait'], {
      stdio: 'ignore',
      detached: true,
    });
    groups.push(child.pid!);
    await waitFor(() => groupMembers(child.pid!).length >= 3, 2000, 'wrapper, program and its sleep');
    await new Promise((r) => setTimeout(r, 100)); // the program has set its trap
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM'); // the wrapper only, not its group
    expect(await exited).toBe(7);
    expect(readFileSync(exitFile, 'utf8')).toBe('7\n');
  });

  it('records 143 for a program killed by the forwarded TERM', async () => {
    const exitFile = join(dir, 'exit');
    const child = spawn('/bin/sh', [jobWrapperPath(), exitFile, '--', 'sleep', '30'], { stdio: 'ignore', detached: true });
    groups.push(child.pid!);
    await waitFor(() => groupMembers(child.pid!).length >= 2, 2000, 'wrapper and program');
    await new Promise((r) => setTimeout(r, 100));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(readFileSync(exitFile, 'utf8')).toBe('143\n');
  });
});

describe('liveWrappers', () => {
  it('finds a running wrapper by its exit file, through a linked folder too, and only the group leader', async () => {
    mkdirSync(join(dir, 'real'));
    symlinkSync(join(dir, 'real'), join(dir, 'link'));
    const viaLink = join(dir, 'link', 'a.exit');
    const leader = spawn('/bin/sh', wrapperArgs(jobWrapperPath(), viaLink, ['sleep', '30']), { detached: true, stdio: 'ignore' });
    groups.push(leader.pid!);
    // Not its own group's leader, so not a job's wrapper (as a subshell of one is not).
    const notLeader = spawn('/bin/sh', wrapperArgs(jobWrapperPath(), join(dir, 'real', 'b.exit'), ['sleep', '5']), { stdio: 'ignore' });
    try {
      await waitFor(() => groupMembers(leader.pid!).length >= 2, 5000, 'the wrapper to start its program');
      const found = liveWrappers();
      expect(found.get(canonicalExitFile(join(dir, 'real', 'a.exit')))).toBe(leader.pid);
      expect(found.get(canonicalExitFile(viaLink))).toBe(leader.pid);
      expect(found.has(canonicalExitFile(join(dir, 'real', 'b.exit')))).toBe(false);
    } finally {
      notLeader.kill('SIGKILL');
      process.kill(-leader.pid!, 'SIGKILL');
    }
    await waitFor(() => !liveWrappers().has(canonicalExitFile(viaLink)), 5000, 'the wrapper to end');
  });
});
