/** Where a built-in step writes its human log lines (stdout, captured into the job's log). */
export type Log = (line: string) => void;

/**
 * `##progress <done> <total|-> <unit>` lines, at most a few a second, and always the last one.
 * The job runner turns them into the progress bar; a person reading the log can skip them.
 */
export class Progress {
  private last = 0;
  private lastDone = -1;

  constructor(
    private readonly log: Log,
    private readonly unit: string,
    private total: number | null = null,
    private readonly intervalMs = 500,
  ) {}

  setTotal(total: number | null): void {
    this.total = total;
  }

  update(done: number, force = false): void {
    const now = Date.now();
    if (!force && now - this.last < this.intervalMs) return;
    if (done === this.lastDone && !force) return;
    this.last = now;
    this.lastDone = done;
    this.log(`##progress ${Math.round(done)} ${this.total === null ? '-' : Math.round(this.total)} ${this.unit}`);
  }

  finish(done: number): void {
    this.update(done, true);
  }
}

/** 1234567 → "1,234,567" (en-US digit grouping, the same everywhere). */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}
