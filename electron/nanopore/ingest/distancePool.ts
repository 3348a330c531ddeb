import { Worker } from 'node:worker_threads';
import { computeBatch, prepareReferences, type DistanceBatch, type DistanceResult } from './distanceBatch';

/**
 * Edit distances on worker threads, so the thread that decodes the BAM and writes SQLite never
 * waits on them. Batches go to the least busy worker; results come back as promises. With no
 * worker script (tests running the TypeScript sources), batches are computed on this thread.
 */
export class DistancePool {
  private readonly workers: { worker: Worker; busy: number }[] = [];
  private readonly waiting = new Map<number, { resolve: (r: DistanceResult) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failure: Error | null = null;
  private closing = false;
  private readonly local: ReturnType<typeof prepareReferences> | null;

  constructor(refs: readonly string[], threads: number, workerScript: string | null) {
    this.local = workerScript === null || threads < 1 ? prepareReferences(refs) : null;
    if (this.local) return;
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(workerScript!, { workerData: { refs } });
      const slot = { worker, busy: 0 };
      worker.on('message', (m: { id: number; result: DistanceResult }) => {
        slot.busy -= 1;
        const w = this.waiting.get(m.id);
        this.waiting.delete(m.id);
        w?.resolve(m.result);
      });
      worker.on('error', (err) => this.fail(err));
      worker.on('exit', (code) => {
        // terminate() in close() ends a worker with exit code 1: that is not a failure.
        if (code !== 0 && !this.closing) this.fail(new Error(`an edit-distance worker stopped (exit code ${code})`));
      });
      this.workers.push(slot);
    }
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }

  get threads(): number {
    return this.workers.length;
  }

  submit(batch: DistanceBatch): Promise<DistanceResult> {
    if (this.local) return Promise.resolve(computeBatch(this.local, batch));
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const slot = this.workers.reduce((a, b) => (b.busy < a.busy ? b : a));
    slot.busy += 1;
    const result = new Promise<DistanceResult>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      slot.worker.postMessage({ id, batch }, [batch.codes.buffer, batch.starts.buffer, batch.refs.buffer]);
    });
    // The caller queues results and awaits them in order: one rejected while it waits on an earlier
    // one must not count as unhandled (that would end the process with this error, not the first).
    result.catch(() => undefined);
    return result;
  }

  /** Ends the workers. Results still outstanding never settle: their ingest has already failed. */
  async close(): Promise<void> {
    this.closing = true;
    this.waiting.clear();
    const workers = this.workers.splice(0);
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }
}
