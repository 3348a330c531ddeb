import type { LogChunk } from '../../../shared/schemas/jobs';

/** The most lines kept in memory: older ones are dropped (and the view says how many). */
export const MAX_LOG_LINES = 5000;
const encoder = new TextEncoder();
const PROGRESS_MARK = '##progress';

/** A `##progress` line (or the start of one still being written): the progress bar shows it, the log text does not. */
function isProgressLine(line: string): boolean {
  return line.startsWith(PROGRESS_MARK) || (line.startsWith('#') && PROGRESS_MARK.startsWith(line));
}

/**
 * A bounded window on a growing log: complete lines plus the unfinished last one, the byte offset
 * the next chunk must start at, and how many lines were dropped from the top.
 */
export class LogWindow {
  lines: string[] = [];
  partial = '';
  dropped = 0;
  next = 0;
  /** The tail started mid-file: lines before it were never loaded. */
  skippedStart = false;

  append(text: string): void {
    if (text === '') return;
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    for (const p of parts) {
      const line = p.endsWith('\r') ? p.slice(0, -1) : p;
      if (!isProgressLine(line)) this.lines.push(line);
    }
    const over = this.lines.length - MAX_LOG_LINES;
    if (over > 0) {
      this.lines.splice(0, over);
      this.dropped += over;
    }
  }

  /** A chunk at a byte offset: appended when it continues the window, the overlap trimmed, a gap reported. */
  accept(chunk: LogChunk): 'ok' | 'gap' {
    const bytes = encoder.encode(chunk.text);
    const end = chunk.offset + bytes.length;
    if (end <= this.next) return 'ok';
    if (chunk.offset > this.next) return 'gap';
    const fresh = chunk.offset === this.next ? chunk.text : new TextDecoder().decode(bytes.subarray(this.next - chunk.offset));
    this.append(fresh);
    this.next = end;
    return 'ok';
  }

  /**
   * Jump to a later offset without reading what lies between (the log outran the view): a marker
   * line says how much was skipped; the unfinished line before the jump is closed as it is.
   */
  skipTo(offset: number): void {
    if (offset <= this.next) return;
    if (this.partial) this.append('\n');
    this.append(`[… ${formatSkipped(offset - this.next)} not shown: the view keeps up with the end of the log; search covers all of it …]\n`);
    this.next = offset;
  }

  snapshot(): LogSnapshot {
    return { text: this.text(), lineCount: this.lineCount(), dropped: this.dropped, skippedStart: this.skippedStart };
  }

  text(): string {
    return this.shownPartial() ? [...this.lines, this.partial].join('\n') : this.lines.join('\n');
  }

  lineCount(): number {
    return this.lines.length + (this.shownPartial() ? 1 : 0);
  }

  private shownPartial(): boolean {
    return this.partial !== '' && !isProgressLine(this.partial);
  }
}

export interface LogSnapshot {
  text: string;
  lineCount: number;
  dropped: number;
  skippedStart: boolean;
}

export const EMPTY_SNAPSHOT: LogSnapshot = { text: '', lineCount: 0, dropped: 0, skippedStart: false };


function formatSkipped(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
