/** Helpers for the job runner's tests: temp workspaces, a run row, an event recorder, waiting. */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { EventName, EventPayload } from '../../shared/contract';
import type { JobInfo, LogChunk } from '../../shared/schemas/jobs';
import { TERMINAL_JOB_STATUSES } from '../../shared/schemas/jobs';
import { tempDirs } from '../../tests/tempWorkspace';
import { Workspace } from '../workspace/workspace';
import { JobRunner, type JobEventSink, type JobRunnerOptions } from './runner';

export interface Recorded {
  name: EventName;
  payload: unknown;
  at: number;
}

export class EventRecorder implements JobEventSink {
  readonly events: Recorded[] = [];
  emit<K extends EventName>(name: K, payload: EventPayload<K>): void {
    this.events.push({ name, payload, at: Date.now() });
  }
  logs(jobId: number): (LogChunk & { at: number })[] {
    return this.events
      .filter((e) => e.name === 'job.log' && (e.payload as LogChunk).jobId === jobId)
      .map((e) => ({ ...(e.payload as LogChunk), at: e.at }));
  }
  statuses(jobId: number): JobInfo[] {
    return this.events.filter((e) => e.name === 'job.status' && (e.payload as JobInfo).id === jobId).map((e) => e.payload as JobInfo);
  }
}

export function insertRun(workspace: Workspace, id = 'run1'): string {
  workspace.db.prepare("INSERT INTO runs (id, name, pipeline) VALUES (?, ?, 'qslam')").run(id, `Run ${id}`);
  return id;
}

export interface Harness {
  dir: string;
  root: string;
  workspace: Workspace;
  runner: JobRunner;
  recorder: EventRecorder;
  /** Another Benchtop on the same workspace: a new database connection and a new runner (not reconciled). */
  reopen(options?: Partial<JobRunnerOptions>): { workspace: Workspace; runner: JobRunner; recorder: EventRecorder };
  cleanup(): Promise<void>;
}

/** A workspace with one run (`run1`) and a runner on it. */
export function harness(options: Partial<JobRunnerOptions> = {}): Harness {
  const dirs = tempDirs('benchtop-jobs-');
  const opened: { workspace: Workspace; runner: JobRunner }[] = [];
  const open = (opts: Partial<JobRunnerOptions>) => {
    const workspace = Workspace.open(dirs.workspace, 'flag');
    const recorder = new EventRecorder();
    const runner = new JobRunner({ db: workspace.db, workspaceDir: workspace.layout.path, events: recorder, killGraceMs: 1000, ...opts });
    opened.push({ workspace, runner });
    return { workspace, runner, recorder };
  };
  const first = open(options);
  insertRun(first.workspace);
  return {
    dir: dirs.workspace,
    root: dirs.root,
    ...first,
    reopen: (opts = {}) => open({ ...options, ...opts }),
    cleanup: async () => {
      const pgids: number[] = [];
      for (const { workspace, runner } of opened) {
        if (workspace.db.open) {
          for (const job of runner.list({ status: 'running' })) if (job.pgid && job.pgid > 1 && job.pgid !== process.pid) pgids.push(job.pgid);
        }
        runner.close();
        await runner.settled();
        workspace.close();
      }
      for (const pgid of pgids) {
        try {
          process.kill(-pgid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      dirs.cleanup();
    },
  };
}

export async function waitFor<T>(fn: () => T | undefined | null | false, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = fn();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Waits until the job has ended and its end is recorded, and returns it. */
export async function waitDone(runner: JobRunner, id: number, timeoutMs = 15_000): Promise<JobInfo> {
  await waitFor(
    () => {
      const j = runner.get(id);
      return TERMINAL_JOB_STATUSES.includes(j.status) ? j : undefined;
    },
    timeoutMs,
    `job ${id} to end`,
  );
  await runner.settled();
  return runner.get(id);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

const ROOT = join(import.meta.dirname, '../..');

/**
 * A host script of fixtures/ bundled like the CLI is built (one ES module, npm packages left to
 * node_modules), so a test can run Benchtop as a separate process and SIGKILL it. Returns its path.
 */
export async function bundleFixtureHost(name: string): Promise<string> {
  const outDir = join(ROOT, 'node_modules/.cache/benchtop-jobs-test');
  const outfile = join(outDir, `${name}-${process.pid}.mjs`);
  mkdirSync(outDir, { recursive: true });
  await build({
    absWorkingDir: ROOT,
    entryPoints: [join(ROOT, `electron/jobs/fixtures/${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    packages: 'external',
    loader: { '.sql': 'text' },
    logLevel: 'error',
  });
  return outfile;
}

export function removeFixtureHost(file: string): void {
  if (file !== '') rmSync(file, { force: true });
}

/** Kills what a test left running: its child processes, and the process groups of the jobs they started. */
export function killLeftovers(children: ChildProcess[], groups: number[]): void {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const g of groups.splice(0)) {
    try {
      process.kill(-g, 'SIGKILL');
    } catch {
      // gone
    }
  }
}
