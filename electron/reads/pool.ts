import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { moduleDirs } from '../system/moduleDirs';
import type { SqlTask, WorkerReply } from './sqlWorker';

/** The worker script: the TypeScript source beside this module (tests), or dist/workers/sql.js. */
export function sqlWorkerFile(): string {
  for (const dir of moduleDirs()) {
    // moduleDirs() is electron/system from source, dist/cli or dist/electron when built.
    const source = join(dir, '..', 'reads', 'sqlWorker.ts');
    if (existsSync(source)) return source;
    const built = join(dir, '..', 'workers', 'sql.js');
    if (existsSync(built)) return built;
  }
  throw new Error("Benchtop's reads query worker (workers/sql.js) is missing from this installation.");
}

export class SqlTaskError extends Error {
  readonly sqliteCode: string | undefined;
  constructor(message: string, sqliteCode?: string) {
    super(message);
    this.name = 'SqlTaskError';
    this.sqliteCode = sqliteCode;
  }
}

export class SqlTaskCancelled extends Error {
  constructor() {
    super('Cancelled.');
    this.name = 'SqlTaskCancelled';
  }
}

interface Pending {
  id: number;
  task: SqlTask;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  onProgress: ((rows: number) => void) | undefined;
  worker?: Worker;
  cancelled?: boolean;
}

export interface RunOptions {
  onProgress?: (rows: number) => void;
  signal?: AbortSignal;
}

/**
 * A small pool of SQL worker threads: tasks queue until a worker is free. A worker holds the
 * process open only while it works; cancelling a running task terminates its worker (SQLite
 * cannot be interrupted from outside the thread), and the pool starts another when needed.
 */
export class SqlPool {
  private readonly size: number;
  private readonly file: string;
  private readonly idle: Worker[] = [];
  private readonly running = new Map<Worker, Pending>();
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(options: { size?: number; file?: string } = {}) {
    this.size = options.size ?? 2;
    this.file = options.file ?? sqlWorkerFile();
  }

  run<T>(task: SqlTask, options: RunOptions = {}): Promise<T> {
    if (this.closed) return Promise.reject(new Error('The reads query pool is closed.'));
    return new Promise<T>((resolve, reject) => {
      const pending: Pending = { id: this.nextId++, task, resolve: resolve as (v: unknown) => void, reject, onProgress: options.onProgress };
      const { signal } = options;
      if (signal) {
        if (signal.aborted) return reject(new SqlTaskCancelled());
        signal.addEventListener('abort', () => this.cancel(pending), { once: true });
      }
      this.queue.push(pending);
      this.pump();
    });
  }

  /** Workers alive now (idle or busy). */
  get workers(): number {
    return this.idle.length + this.running.size;
  }

  close(): void {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new Error('The reads query pool is closed.'));
    for (const w of [...this.idle.splice(0), ...this.running.keys()]) void w.terminate();
  }

  private cancel(pending: Pending): void {
    const queued = this.queue.indexOf(pending);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      pending.reject(new SqlTaskCancelled());
    } else if (pending.worker) {
      pending.cancelled = true;
      void pending.worker.terminate();
    }
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const worker = this.idle.pop() ?? (this.workers < this.size ? this.spawn() : null);
      if (!worker) return;
      const pending = this.queue.shift()!;
      pending.worker = worker;
      this.running.set(worker, pending);
      worker.ref();
      worker.postMessage({ id: pending.id, task: pending.task });
    }
  }

  private spawn(): Worker {
    const worker = new Worker(this.file);
    worker.on('message', (reply: WorkerReply) => {
      const pending = this.running.get(worker);
      if (!pending || pending.id !== reply.id) return;
      if (reply.type === 'progress') {
        pending.onProgress?.(reply.rows);
        return;
      }
      this.running.delete(worker);
      if (reply.type === 'done') pending.resolve(reply.value);
      else pending.reject(new SqlTaskError(reply.message, reply.sqliteCode));
      worker.unref();
      this.idle.push(worker);
      this.pump();
    });
    const gone = (error: Error) => {
      const idleAt = this.idle.indexOf(worker);
      if (idleAt >= 0) this.idle.splice(idleAt, 1);
      const pending = this.running.get(worker);
      this.running.delete(worker);
      if (pending) pending.reject(pending.cancelled ? new SqlTaskCancelled() : error);
      if (!this.closed) this.pump();
    };
    worker.on('error', gone);
    worker.on('exit', (code) => gone(new Error(`The reads query worker stopped (exit code ${code}).`)));
    return worker;
  }
}
