import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, constants as osConstants } from 'node:os';
import { isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import type Database from 'better-sqlite3';
import type { EventName, EventPayload } from '../../shared/contract';
import { ApiError } from '../../shared/errors';
import { TERMINAL_JOB_STATUSES, type JobInfo, type JobProgress, type JobStatus } from '../../shared/schemas/jobs';
import { recordAudit } from '../../db/repos/audit';
import { LOG_CHUNK_BYTES, LogFollower, lastLogLine, readLog, searchLog, tailLog, type LogMatchValue, type LogSliceValue } from './logs';
import { groupMembers, isSameProcess, procIdentity, signalGroup } from './proc';
import { refreshRunState } from './runState';
import { canonicalExitFile, jobWrapperPath, liveWrappers, wrapperArgs } from './wrapper';
import { jobInfoFromRow, parseArgv, type JobRow } from './rows';

/** One attempt of a step, as jobs.start hands it over: the argv is final, element for element. */
export interface JobSpec {
  runId: string;
  step: string;
  argv: string[];
  tool: string | null;
  toolVersion: string | null;
  /** The working directory (created when missing); usually the step's folder. */
  cwd: string;
  /** The program prints `##progress <done> <total|-> <unit>` lines. */
  progress?: boolean;
}

export interface JobEventSink {
  emit<K extends EventName>(name: K, payload: EventPayload<K>): void;
}

export interface JobRunnerOptions {
  db: Database.Database;
  /** The workspace folder: logs live under <workspace>/runs/<run>/logs/. */
  workspaceDir: string;
  events: JobEventSink;
  /** Jobs running at once (default: the number of CPU cores); the rest wait as `pending`. */
  maxConcurrent?: number;
  /** Between SIGTERM and SIGKILL when killing (default 5 s). */
  killGraceMs?: number;
  /** How often a re-attached job's pid is checked (default 500 ms). */
  pollMs?: number;
  /** How often the database is checked for jobs started or queued by another Benchtop process (default 2 s). */
  syncMs?: number;
  /** The log follower's poll (default 250 ms). */
  logPollMs?: number;
  wrapperPath?: string;
}

export interface ReconcileResult {
  reattached: number[];
  finished: number[];
  interrupted: number[];
  started: number[];
}


interface Tracked {
  id: number;
  runId: string;
  pid: number;
  pgid: number;
  identity: string | null;
  /** Our own child; null for a job re-attached after a restart (its pid is polled instead). */
  child: ChildProcess | null;
  follower: LogFollower | null;
  exitFile: string;
  progress: boolean;
  killRequested: boolean;
  escalation: NodeJS.Timeout | null;
  finishing: boolean;
}

/** Kept next to the log: how to start a pending job again after a restart. */
interface JobSidecar {
  cwd: string;
  progress: boolean;
}

const STEP_RE = /^[a-z][a-z0-9_]{0,63}$/;
const RUN_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const KILLED_MESSAGE = 'Killed by the user';
export const NEVER_STARTED_MESSAGE =
  'Benchtop stopped while starting this job, and its process never ran. It is not started again by itself (that could run it twice): start the step again.';
/**
 * A `starting` job is spawned right after its claim is committed; one whose process is not there
 * this long after the claim was never spawned. Until then another Benchtop leaves it alone.
 */
const STARTING_GRACE_MS = 10_000;
const PROGRESS_RE = /^##progress\s+(\d+(?:\.\d+)?)\s+(\d+(?:\.\d+)?|-)(?:[ \t]+([^\r\n]*))?\r?$/;

const now = () => new Date().toISOString();

function isTerminal(status: JobStatus): boolean {
  return TERMINAL_JOB_STATUSES.includes(status);
}

export function defaultMaxConcurrent(): number {
  return Math.max(1, Math.min(64, availableParallelism()));
}

/** The last `##progress` line of a text, or null. */
export function parseProgress(text: string): JobProgress | null {
  if (!text.includes('##progress')) return null;
  let found: JobProgress | null = null;
  for (const line of text.split('\n')) {
    const m = PROGRESS_RE.exec(line);
    if (!m) continue;
    found = { done: Number(m[1]), total: m[2] === '-' ? null : Number(m[2]), unit: (m[3] ?? '').trim() };
  }
  return found;
}

function describeCode(code: number): string {
  if (code > 128) {
    const name = Object.entries(osConstants.signals).find(([, n]) => n === code - 128)?.[0];
    if (name) return `ended by signal ${name} (exit code ${code})`;
  }
  return `exited with code ${code}`;
}

/**
 * Runs the steps of runs as detached process groups through the fixed wrapper, remembers each
 * attempt in the `jobs` table, follows its log, and finds its jobs again after a restart.
 * One per open workspace, owned by the Session. Jobs outlive the runner: closing it stops
 * watching them, never the jobs themselves.
 */
export class JobRunner {
  private readonly db: Database.Database;
  private readonly workspaceDir: string;
  private readonly events: JobEventSink;
  private readonly killGraceMs: number;
  private readonly pollMs: number;
  private readonly syncMs: number;
  private readonly logPollMs: number;
  private readonly wrapper: string | undefined;
  private max: number;
  private readonly tracked = new Map<number, Tracked>();
  private readonly progress = new Map<number, JobProgress>();
  private readonly specs = new Map<number, JobSidecar>();
  private readonly finishing = new Set<Promise<void>>();
  private poller: NodeJS.Timeout | null = null;
  private lastSync = 0;
  private closed = false;

  constructor(options: JobRunnerOptions) {
    this.db = options.db;
    this.workspaceDir = resolve(options.workspaceDir);
    this.events = options.events;
    this.max = clampConcurrency(options.maxConcurrent ?? defaultMaxConcurrent());
    this.killGraceMs = options.killGraceMs ?? 5000;
    this.pollMs = options.pollMs ?? 500;
    this.syncMs = options.syncMs ?? 2000;
    this.logPollMs = options.logPollMs ?? 250;
    this.wrapper = options.wrapperPath;
  }

  get maxConcurrent(): number {
    return this.max;
  }

  set maxConcurrent(n: number) {
    this.max = clampConcurrency(n);
    this.pump();
  }

  /** Counts of this workspace's jobs that are running (or starting) and waiting. */
  counts(): { running: number; pending: number } {
    const row = this.db
      .prepare("SELECT SUM(status IN ('starting', 'running')) AS running, SUM(status = 'pending') AS pending FROM jobs")
      .get() as { running: number | null; pending: number | null };
    return { running: row.running ?? 0, pending: row.pending ?? 0 };
  }

  // ---------------------------------------------------------------- queries

  get(id: number): JobInfo {
    const row = this.row(id);
    if (!row) throw new ApiError('not_found', `There is no job ${id}.`);
    return this.info(row);
  }

  list(filter: { runId?: string | undefined; status?: JobStatus | undefined } = {}): JobInfo[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.runId !== undefined) {
      where.push('run_id = ?');
      args.push(filter.runId);
    }
    if (filter.status !== undefined) {
      where.push('status = ?');
      args.push(filter.status);
    }
    const sql = `SELECT * FROM jobs${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id`;
    return (this.db.prepare(sql).all(...args) as JobRow[]).map((r) => this.info(r));
  }

  // ---------------------------------------------------------------- enqueue and start

  /** Records a new attempt of a step as `pending` and starts it as soon as a slot is free. */
  enqueue(spec: JobSpec): JobInfo {
    this.assertOpen();
    validateSpec(spec);
    if (this.db.prepare('SELECT 1 FROM runs WHERE id = ?').get(spec.runId) === undefined) {
      throw new ApiError('not_found', `There is no run ${spec.runId}.`);
    }
    const cwd = resolve(spec.cwd);
    const sidecar: JobSidecar = { cwd, progress: spec.progress === true };
    const id = this.db
      .transaction(() => {
        const attempt =
          ((this.db
            .prepare('SELECT MAX(attempt) FROM jobs WHERE run_id = ? AND step_name = ?')
            .pluck()
            .get(spec.runId, spec.step) as number | null) ?? 0) + 1;
        const logFile = posix.join('runs', spec.runId, 'logs', `${spec.step}-${attempt}.log`);
        const result = this.db
          .prepare(
            `INSERT INTO jobs (run_id, step_name, attempt, status, argv, tool, tool_version, executor, created_at, log_file)
             VALUES (?, ?, ?, 'pending', ?, ?, ?, 'local', ?, ?)`,
          )
          .run(spec.runId, spec.step, attempt, JSON.stringify(spec.argv), spec.tool, spec.toolVersion, now(), logFile);
        return Number(result.lastInsertRowid);
      })
      .immediate();
    this.specs.set(id, sidecar);
    const row = this.row(id)!;
    try {
      const base = this.fileBase(row);
      mkdirSync(join(base, '..'), { recursive: true });
      writeAtomically(`${base}.job.json`, `${JSON.stringify(sidecar)}\n`);
    } catch {
      // Only needed to start it again after a restart; this process has it in memory.
    }
    refreshRunState(this.db, spec.runId);
    this.emitStatus(id);
    this.pump();
    return this.get(id);
  }

  /** Starts pending jobs, oldest first, while fewer than the limit run (counted in the database). */
  private pump(): number[] {
    const started: number[] = [];
    if (this.closed || !this.db.open) return started;
    for (;;) {
      const { running } = this.counts();
      if (running >= this.max) break;
      const next = this.db.prepare("SELECT * FROM jobs WHERE status = 'pending' ORDER BY id LIMIT 1").get() as JobRow | undefined;
      if (!next) break;
      if (this.start(next)) started.push(next.id);
    }
    return started;
  }

  /**
   * Starts a pending job in three steps, so that it can never run twice: (1) claim it as
   * `starting`, with its exit file, and commit — another Benchtop process on the workspace claims
   * the same row in vain; (2) spawn the wrapper, outside any transaction; (3) record its pid and
   * `running`. Killed between (2) and (3), the app leaves a `starting` row whose wrapper the next
   * reconcile finds by its exit file and re-attaches. False when another process claimed it.
   */
  private start(row: JobRow): boolean {
    const sidecar = this.specs.get(row.id) ?? this.readSidecar(row);
    this.specs.delete(row.id);
    const base = this.fileBase(row);
    const logAbs = `${base}.log`;
    const exitFile = `${base}.exit`;
    // One statement is its own immediate transaction: the compare-and-set is atomic across processes.
    const claimed = this.db
      .prepare("UPDATE jobs SET status = 'starting', started_at = ?, exit_file = ?, error_message = NULL WHERE id = ? AND status = 'pending'")
      .run(now(), this.workspacePath(exitFile), row.id).changes;
    if (claimed === 0) return false;
    let child: ChildProcess | null = null;
    let fd: number | null = null;
    try {
      const argv = parseArgv(row.argv);
      if (argv.length === 0) throw new Error('its command is empty');
      mkdirSync(join(base, '..'), { recursive: true });
      mkdirSync(sidecar.cwd, { recursive: true });
      // Appended to, never truncated: a log with output in it belongs to a process already started.
      fd = openSync(logAbs, 'a');
      if (fstatSync(fd).size > 0) throw new Error(`its log (${row.log_file ?? logAbs}) already holds the output of an earlier start`);
      rmSync(exitFile, { force: true });
      child = spawn('/bin/sh', wrapperArgs(this.wrapper ?? jobWrapperPath(), exitFile, argv), {
        cwd: sidecar.cwd,
        detached: true,
        stdio: ['ignore', fd, fd],
        // In the desktop app process.execPath is Electron: built-in steps ({benchtop}) must run it as plain Node.
        env: { ...process.env, BENCHTOP_JOB_ID: String(row.id), ELECTRON_RUN_AS_NODE: '1' },
      });
      child.on('error', (err: NodeJS.ErrnoException) => {
        if (err.syscall?.startsWith('spawn')) this.onSpawnError(row.id, err);
      });
      if (child.pid === undefined) throw new Error('the process could not be created');
    } catch (err) {
      const orphan = child as ChildProcess | null;
      if (orphan?.pid !== undefined) signalGroup(orphan.pid, 'SIGKILL'); // started, but cannot be recorded
      child = null;
      this.db
        .prepare("UPDATE jobs SET status = 'failed', completed_at = ?, error_message = ? WHERE id = ? AND status = 'starting'")
        .run(now(), `Could not start: ${err instanceof Error ? err.message : String(err)}`, row.id);
    } finally {
      if (fd !== null) closeSync(fd);
    }
    const started = child as ChildProcess | null;
    if (started !== null && started.pid !== undefined) {
      const pid = started.pid;
      testPauseAfterSpawn(pid);
      const identity = procIdentity(pid);
      const recorded = this.db
        .prepare("UPDATE jobs SET status = 'running', pid = ?, pgid = ?, proc_start_time = ? WHERE id = ? AND status = 'starting'")
        .run(pid, pid, identity, row.id).changes;
      const current = this.row(row.id);
      if (recorded === 0 && (current?.status !== 'running' || current.pid !== pid)) {
        // Another Benchtop ended it meanwhile (the user killed it while it was starting): so be it.
        // Our child is not reaped before this synchronous code returns, so its group id is still its own.
        signalGroup(pid, 'SIGKILL');
        started.unref();
      } else {
        const t: Tracked = {
          id: row.id,
          runId: row.run_id,
          pid,
          pgid: pid,
          identity,
          child: started,
          follower: null,
          exitFile,
          progress: sidecar.progress,
          killRequested: false,
          escalation: null,
          finishing: false,
        };
        this.tracked.set(row.id, t);
        started.on('exit', (code, signal) => this.finish(t, code ?? (signal ? 128 + (osConstants.signals[signal] ?? 0) : null)));
        started.unref();
        t.follower = this.follow(t, logAbs, 0);
      }
    }
    refreshRunState(this.db, row.run_id);
    this.emitStatus(row.id);
    return true;
  }

  private onSpawnError(id: number, err: Error): void {
    if (this.closed || !this.db.open) return;
    const changed = this.db
      .prepare(
        "UPDATE jobs SET status = 'failed', completed_at = ?, error_message = ? WHERE id = ? AND status IN ('starting', 'running') AND exit_code IS NULL",
      )
      .run(now(), `Could not start: ${err.message}`, id).changes;
    if (changed > 0) {
      const t = this.tracked.get(id);
      if (t) this.untrack(t);
      const row = this.row(id);
      if (row) refreshRunState(this.db, row.run_id);
      this.emitStatus(id);
      this.pump();
    }
  }

  // ---------------------------------------------------------------- following

  private follow(t: Tracked, file: string, offset: number): LogFollower {
    const follower = new LogFollower({
      file,
      jobId: t.id,
      offset,
      pollMs: this.logPollMs,
      emit: (chunk) => {
        if (!this.closed) this.events.emit('job.log', chunk);
      },
      onText: (text) => {
        if (!t.progress) return;
        const p = parseProgress(text);
        if (p && !this.closed) {
          this.progress.set(t.id, p);
          this.emitStatus(t.id);
        }
      },
    });
    follower.start();
    this.ensurePoller();
    return follower;
  }

  private ensurePoller(): void {
    if (this.poller || this.closed) return;
    this.poller = setInterval(() => this.tick(), this.pollMs);
    this.poller.unref();
  }

  /** Re-attached jobs have no exit event: their pid is checked instead. Now and then, the database too. */
  private tick(): void {
    if (this.closed || !this.db.open) return;
    for (const t of this.tracked.values()) {
      if (t.child === null && !t.finishing && !isSameProcess(t.pid, t.identity)) this.finish(t, null);
    }
    if (Date.now() - this.lastSync >= this.syncMs) {
      this.lastSync = Date.now();
      try {
        this.adoptRunning();
        this.pump();
      } catch {
        // the database is busy or closing: next time
      }
    }
  }

  // ---------------------------------------------------------------- ending

  /** Records a job's end: its status from the exit file (else what we saw), after the last log bytes are sent. */
  private finish(t: Tracked, observedCode: number | null): void {
    if (t.finishing) return;
    t.finishing = true;
    if (t.escalation) clearTimeout(t.escalation);
    t.escalation = null;
    const done = (async () => {
      if (t.follower) await t.follower.stop();
      if (this.closed || !this.db.open) return;
      const row = this.row(t.id);
      this.tracked.delete(t.id);
      if (!row || row.status !== 'running') {
        if (row) this.emitStatus(t.id);
        return;
      }
      const killed = t.killRequested || row.error_message === KILLED_MESSAGE;
      if (killed) await this.killStragglers(t.pgid);
      if (this.closed || !this.db.open) return;
      const code = readExitFile(t.exitFile) ?? observedCode;
      this.record(row, code, killed, false);
    })().catch(() => undefined);
    this.finishing.add(done);
    void done.finally(() => this.finishing.delete(done));
  }

  /** A killed job's main process has ended: what is left of its group goes too, before it is called killed. */
  private async killStragglers(pgid: number): Promise<void> {
    for (let i = 0; i < 50 && groupMembers(pgid).length > 0; i++) {
      signalGroup(pgid, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Writes a running (or starting) job's end, once (whoever gets there first, in whichever process, wins). */
  private record(row: JobRow, code: number | null, killed: boolean, lostTrack: boolean, pump = true): JobStatus {
    let status: JobStatus;
    let message: string | null;
    if (killed) {
      status = 'killed';
      message = KILLED_MESSAGE;
    } else if (code === 0) {
      status = 'completed';
      message = null;
    } else if (code !== null) {
      status = 'failed';
      // The step's own last words (e.g. "…bam: truncated BGZF block at byte N") say why; the code alone does not.
      const said = lastLogLine(`${this.fileBase(row)}.log`);
      message = said === null ? describeCode(code) : `${describeCode(code)}: ${said}`;
    } else if (lostTrack) {
      status = 'interrupted';
      message = 'Benchtop lost track of this job: its process is gone and left no exit code. Its log is kept.';
    } else {
      status = 'failed';
      message = 'Ended without recording an exit code (killed by a signal it could not catch?).';
    }
    const changed = this.db
      .prepare("UPDATE jobs SET status = ?, exit_code = ?, completed_at = ?, error_message = ? WHERE id = ? AND status = ?")
      .run(status, code, now(), message, row.id, row.status).changes;
    if (changed > 0) refreshRunState(this.db, row.run_id);
    this.emitStatus(row.id);
    if (pump) this.pump();
    return status;
  }

  /** Waits until every end being recorded is recorded (tests, and closing cleanly). */
  async settled(): Promise<void> {
    while (this.finishing.size > 0) await Promise.all([...this.finishing]);
  }

  // ---------------------------------------------------------------- kill

  /**
   * Kills a job: a pending one is marked killed; a running one's whole process group gets
   * SIGTERM, then SIGKILL after the grace period if any of it is still alive. Returns at once
   * (the job is `killed` when its process has ended); a finished job is a conflict.
   */
  kill(id: number): JobInfo {
    this.assertOpen();
    const row = this.row(id);
    if (!row) throw new ApiError('not_found', `There is no job ${id}.`);
    if (isTerminal(row.status)) throw new ApiError('conflict', `Job ${id} has already ended (${row.status}).`);
    if (row.status === 'pending') {
      const changed = this.db
        .prepare("UPDATE jobs SET status = 'killed', completed_at = ?, error_message = ? WHERE id = ? AND status = 'pending'")
        .run(now(), `${KILLED_MESSAGE} before it started`, id).changes;
      if (changed === 0) return this.kill(id); // it started meanwhile
      recordAudit(this.db, { action: 'job.kill', entityType: 'job', entityId: String(id), details: { runId: row.run_id, step: row.step_name, was: 'pending' } });
      refreshRunState(this.db, row.run_id);
      this.emitStatus(id);
      return this.get(id);
    }
    if (row.status === 'starting') {
      // Another Benchtop is starting it, or was when it stopped: its wrapper, if it runs, is killed as a running job.
      this.adoptUnrecorded(row, liveWrappers());
      const changed = this.db
        .prepare("UPDATE jobs SET status = 'killed', completed_at = ?, error_message = ? WHERE id = ? AND status = 'starting'")
        .run(now(), `${KILLED_MESSAGE} before it started`, id).changes;
      if (changed === 0) return this.kill(id); // it runs now, or has ended
      recordAudit(this.db, { action: 'job.kill', entityType: 'job', entityId: String(id), details: { runId: row.run_id, step: row.step_name, was: 'starting' } });
      refreshRunState(this.db, row.run_id);
      this.emitStatus(id);
      return this.get(id);
    }
    let t = this.tracked.get(id);
    if (!t) {
      this.adopt(row);
      t = this.tracked.get(id);
      if (!t) return this.get(id); // its process was gone: it has ended now
    }
    if (t.finishing) return this.get(id); // it has just ended by itself: that end is being recorded
    this.db.prepare("UPDATE jobs SET error_message = ? WHERE id = ? AND status = 'running'").run(KILLED_MESSAGE, id);
    recordAudit(this.db, { action: 'job.kill', entityType: 'job', entityId: String(id), details: { runId: row.run_id, step: row.step_name, pid: t.pid } });
    t.killRequested = true;
    signalGroup(t.pgid, 'SIGTERM');
    const tracked = t;
    if (!tracked.escalation) {
      tracked.escalation = setTimeout(() => {
        tracked.escalation = null;
        if (groupMembers(tracked.pgid).length > 0) signalGroup(tracked.pgid, 'SIGKILL');
      }, this.killGraceMs);
      tracked.escalation.unref();
    }
    this.emitStatus(id);
    return this.get(id);
  }

  /** kill(), then waits until the job has ended (for the CLI, whose process must stay up that long). */
  async killAndWait(id: number, timeoutMs = this.killGraceMs + 10_000): Promise<JobInfo> {
    let info = this.kill(id);
    const deadline = Date.now() + timeoutMs;
    // These timers keep the process alive through the grace period (the runner's own are unref'd).
    while (!isTerminal(info.status) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      await this.settled();
      info = this.get(id);
    }
    return info;
  }

  // ---------------------------------------------------------------- restart

  /**
   * After a (re)start: jobs the database says are running are re-attached when their pid is alive
   * and is still the same process (start time and boot match); otherwise they take their status
   * from the wrapper's exit file, or become `interrupted`. Jobs left `starting` (and `pending` ones,
   * which an older Benchtop spawned before it recorded them) are looked for among the live
   * wrappers. Then pending jobs are started in order.
   */
  reconcile(): ReconcileResult {
    this.assertOpen();
    const result = this.adoptRunning(true);
    result.started = this.pump();
    this.lastSync = Date.now();
    this.ensurePoller();
    return result;
  }

  /** Takes on the running jobs this runner does not follow yet, and the starting ones whose wrapper runs. */
  private adoptRunning(withPending = false): ReconcileResult {
    const result: ReconcileResult = { reattached: [], finished: [], interrupted: [], started: [] };
    const rows = this.db.prepare("SELECT * FROM jobs WHERE status = 'running' ORDER BY id").all() as JobRow[];
    for (const row of rows) {
      if (this.tracked.has(row.id)) continue;
      const outcome = this.adopt(row);
      result[outcome].push(row.id);
    }
    const unrecorded = this.db
      .prepare(`SELECT * FROM jobs WHERE status IN (${withPending ? "'starting', 'pending'" : "'starting'"}) ORDER BY id`)
      .all() as JobRow[];
    if (unrecorded.length > 0) {
      const wrappers = liveWrappers();
      for (const row of unrecorded) {
        const outcome = this.adoptUnrecorded(row, wrappers);
        if (outcome !== null) result[outcome].push(row.id);
      }
    }
    return result;
  }

  /**
   * A job whose process may run without its pid in the database: found by its wrapper's exit
   * file, it is recorded as running and re-attached; with no wrapper but an exit file, it ended
   * with that code; a `starting` one claimed long enough ago never ran and is `interrupted`,
   * never started again. Null when it is left as it is (a pending job is then started normally).
   */
  private adoptUnrecorded(row: JobRow, wrappers: Map<string, number>): 'reattached' | 'finished' | 'interrupted' | null {
    const exitFile = this.exitFileOf(row);
    const pid = wrappers.get(canonicalExitFile(exitFile));
    if (pid !== undefined) {
      const changed = this.db
        .prepare(
          "UPDATE jobs SET status = 'running', pid = ?, pgid = ?, proc_start_time = ?, started_at = COALESCE(started_at, ?), exit_file = ? WHERE id = ? AND status = ?",
        )
        .run(pid, pid, procIdentity(pid), now(), this.workspacePath(exitFile), row.id, row.status).changes;
      const current = this.row(row.id);
      if (changed === 0 || current === undefined) return null;
      refreshRunState(this.db, row.run_id);
      return this.adopt(current);
    }
    const code = readExitFile(exitFile);
    if (code !== null) {
      this.record(row, code, false, false, false);
      return 'finished';
    }
    const claimedAt = Date.parse(row.started_at ?? '');
    if (row.status !== 'starting' || Date.now() - claimedAt < STARTING_GRACE_MS) return null;
    const changed = this.db
      .prepare("UPDATE jobs SET status = 'interrupted', completed_at = ?, error_message = ? WHERE id = ? AND status = 'starting'")
      .run(now(), NEVER_STARTED_MESSAGE, row.id).changes;
    if (changed === 0) return null;
    refreshRunState(this.db, row.run_id);
    this.emitStatus(row.id);
    return 'interrupted';
  }

  private adopt(row: JobRow): 'reattached' | 'finished' | 'interrupted' {
    const base = this.fileBase(row);
    const exitFile = this.exitFileOf(row);
    if (row.pid !== null && isSameProcess(row.pid, row.proc_start_time)) {
      const t: Tracked = {
        id: row.id,
        runId: row.run_id,
        pid: row.pid,
        pgid: row.pgid ?? row.pid,
        identity: row.proc_start_time,
        child: null,
        follower: null,
        exitFile,
        progress: this.readSidecar(row).progress,
        killRequested: row.error_message === KILLED_MESSAGE,
        escalation: null,
        finishing: false,
      };
      this.tracked.set(row.id, t);
      const logAbs = `${base}.log`;
      let size = 0;
      try {
        size = statSync(logAbs).size;
      } catch {
        // not written yet
      }
      t.follower = this.follow(t, logAbs, size);
      if (t.progress) {
        void tailLog(logAbs, LOG_CHUNK_BYTES)
          .then((tail) => {
            const p = parseProgress(tail.text);
            if (p && !this.progress.has(row.id)) this.progress.set(row.id, p);
          })
          .catch(() => undefined);
      }
      this.emitStatus(row.id);
      return 'reattached';
    }
    const code = readExitFile(exitFile);
    const status = this.record(row, code, row.error_message === KILLED_MESSAGE, true, false);
    return status === 'interrupted' ? 'interrupted' : 'finished';
  }

  // ---------------------------------------------------------------- logs

  /** The job's log file, resolved (links too) and confined to the workspace; null before it exists. */
  logPath(id: number): string | null {
    const row = this.row(id);
    if (!row) throw new ApiError('not_found', `There is no job ${id}.`);
    if (row.log_file === null) return null;
    const abs = isAbsolute(row.log_file) ? row.log_file : join(this.workspaceDir, row.log_file);
    let real: string;
    try {
      real = realpathSync(abs);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    const root = realpathSync(this.workspaceDir);
    if (!real.startsWith(root + sep)) {
      throw new ApiError('outside_workspace', `The log of job ${id} is outside the workspace; it is not read.`);
    }
    return real;
  }

  async logTail(id: number, maxBytes = LOG_CHUNK_BYTES): Promise<LogSliceValue> {
    return tailLog(this.logPath(id), maxBytes);
  }

  async logRead(id: number, offset: number, maxBytes = LOG_CHUNK_BYTES): Promise<LogSliceValue> {
    return readLog(this.logPath(id), offset, maxBytes);
  }

  async logSearch(id: number, query: string, maxMatches = 200): Promise<{ matches: LogMatchValue[]; truncated: boolean }> {
    return searchLog(this.logPath(id), query, maxMatches);
  }

  // ---------------------------------------------------------------- closing

  /** Stops watching (the jobs carry on, detached; the next runner on this workspace re-attaches them). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.poller) clearInterval(this.poller);
    this.poller = null;
    for (const t of this.tracked.values()) this.untrack(t);
    this.tracked.clear();
  }

  private untrack(t: Tracked): void {
    t.finishing = true;
    t.child?.removeAllListeners('exit');
    t.follower?.dispose();
    if (t.escalation) clearTimeout(t.escalation);
    this.tracked.delete(t.id);
  }

  // ---------------------------------------------------------------- helpers

  private assertOpen(): void {
    if (this.closed) throw new ApiError('conflict', 'This workspace has been closed.');
  }

  private row(id: number): JobRow | undefined {
    return this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
  }

  /** <workspace>/runs/<run>/logs/<step>-<attempt>, the stem of the log, exit and sidecar files. */
  private fileBase(row: Pick<JobRow, 'run_id' | 'step_name' | 'attempt' | 'log_file'>): string {
    if (row.log_file !== null && row.log_file.endsWith('.log')) {
      const abs = isAbsolute(row.log_file) ? row.log_file : join(this.workspaceDir, row.log_file);
      return abs.slice(0, -'.log'.length);
    }
    return join(this.workspaceDir, 'runs', row.run_id, 'logs', `${row.step_name}-${row.attempt}`);
  }

  /** Where the job's wrapper writes its exit status (recorded since the job was claimed). */
  private exitFileOf(row: JobRow): string {
    if (row.exit_file === null) return `${this.fileBase(row)}.exit`;
    return isAbsolute(row.exit_file) ? row.exit_file : join(this.workspaceDir, row.exit_file);
  }

  /** A path as the database keeps it: relative to the workspace when inside it (as log_file). */
  private workspacePath(abs: string): string {
    const rel = relative(this.workspaceDir, abs);
    return rel.startsWith('..') || isAbsolute(rel) ? abs : rel.split(sep).join(posix.sep);
  }

  private readSidecar(row: JobRow): JobSidecar {
    const fallback: JobSidecar = { cwd: join(this.workspaceDir, 'runs', row.run_id, row.step_name), progress: false };
    try {
      const parsed = JSON.parse(readFileSync(`${this.fileBase(row)}.job.json`, 'utf8')) as Partial<JobSidecar>;
      return {
        cwd: typeof parsed.cwd === 'string' && isAbsolute(parsed.cwd) ? parsed.cwd : fallback.cwd,
        progress: parsed.progress === true,
      };
    } catch {
      return fallback;
    }
  }

  private info(row: JobRow): JobInfo {
    return jobInfoFromRow(row, this.progress.get(row.id) ?? null);
  }

  private emitStatus(id: number): void {
    if (this.closed || !this.db.open) return;
    const row = this.row(id);
    if (row) this.events.emit('job.status', this.info(row));
  }
}

function clampConcurrency(n: number): number {
  if (!Number.isFinite(n)) return defaultMaxConcurrent();
  return Math.max(1, Math.min(64, Math.floor(n)));
}

function validateSpec(spec: JobSpec): void {
  if (typeof spec.runId !== 'string' || !RUN_ID_RE.test(spec.runId)) {
    throw new ApiError('invalid_request', `Not a run id: ${JSON.stringify(spec.runId)}.`);
  }
  if (typeof spec.step !== 'string' || !STEP_RE.test(spec.step)) {
    throw new ApiError('invalid_request', `Not a step id: ${JSON.stringify(spec.step)}.`);
  }
  if (!Array.isArray(spec.argv) || spec.argv.length === 0 || !spec.argv.every((a) => typeof a === 'string')) {
    throw new ApiError('invalid_request', 'A job needs its command as a non-empty array of strings.');
  }
  if (spec.argv.some((a) => a.includes('\0'))) {
    throw new ApiError('invalid_request', 'A command argument may not contain a NUL character.');
  }
  if (spec.argv[0] === '') throw new ApiError('invalid_request', 'A job needs a program to run.');
  if (typeof spec.cwd !== 'string' || !isAbsolute(spec.cwd)) {
    throw new ApiError('invalid_request', `A job's working directory must be an absolute path, not ${JSON.stringify(spec.cwd)}.`);
  }
}


/** The wrapper's record of the exit status, or null when there is none (yet). */
export function readExitFile(file: string): number | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
  return /^\d{1,3}$/.test(text) ? Number(text) : null;
}

/**
 * Test hook, inert unless BENCHTOP_TEST_PAUSE_AFTER_SPAWN names a file: writes the new process's
 * pid there and blocks this thread for a minute, right after the spawn and before the pid is
 * recorded, so that a test can SIGKILL the app at exactly that point.
 */
function testPauseAfterSpawn(pid: number): void {
  const marker = process.env.BENCHTOP_TEST_PAUSE_AFTER_SPAWN;
  if (!marker) return;
  writeFileSync(marker, `${pid}\n`);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
}

function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}
