import { closeSync, createReadStream, fstatSync, openSync, readSync, watch, type FSWatcher } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import type { LogChunk } from '../../shared/schemas/jobs';

/** The most one `job.log` event carries, and the default of a tail or a read. */
export const LOG_CHUNK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

export interface LogSliceValue {
  text: string;
  offset: number;
  next: number;
  size: number;
}

/** Index of the first byte of `buf` that does not continue a UTF-8 character begun before it. */
export function utf8Start(buf: Buffer, from = 0): number {
  let i = from;
  // At most 3 continuation bytes can precede a character's first byte.
  while (i < buf.length && i < from + 3 && (buf[i]! & 0xc0) === 0x80) i++;
  return i;
}

/** The largest end ≤ `end` that does not cut a UTF-8 character in two. */
export function utf8End(buf: Buffer, end = buf.length): number {
  let lead = end - 1;
  const floor = Math.max(0, end - 4);
  while (lead >= floor && (buf[lead]! & 0xc0) === 0x80) lead--;
  if (lead < floor) return end; // not UTF-8 anyway: cut where asked
  const b = buf[lead]!;
  const need = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
  return lead + need <= end ? end : lead;
}

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return buf.subarray(0, got);
}

const EMPTY: LogSliceValue = { text: '', offset: 0, next: 0, size: 0 };

/** The last `maxBytes` of a log, starting at the beginning of a line (when one starts in that window). */
const LAST_LINE_WINDOW = 8192;
const LAST_LINE_MAX_CHARS = 400;

/**
 * The last line a job wrote that says something (not a `##progress` line), cut to a readable
 * length: what a failed step printed as its reason, to stand beside its exit code. Null when the
 * log is missing or silent. Synchronous and bounded (the last 8 KiB), as it runs when a job ends.
 */
export function lastLogLine(file: string): string | null {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const { size } = fstatSync(fd);
    const length = Math.min(size, LAST_LINE_WINDOW);
    const buf = Buffer.alloc(length);
    readSync(fd, buf, 0, length, size - length);
    const lines = buf.toString('utf8').split(/\r?\n/);
    // A window that starts mid-file may start mid-line: that first piece is not a whole line.
    if (size > length) lines.shift();
    for (let i = lines.length - 1; i >= 0; i--) {
      const line = lines[i]!.trim();
      if (line === '' || line.startsWith('##progress')) continue;
      return line.length > LAST_LINE_MAX_CHARS ? `${line.slice(0, LAST_LINE_MAX_CHARS)}…` : line;
    }
    return null;
  } finally {
    closeSync(fd);
  }
}

export async function tailLog(file: string | null, maxBytes = LOG_CHUNK_BYTES): Promise<LogSliceValue> {
  if (file === null) return EMPTY;
  const fh = await openOrNull(file);
  if (fh === null) return EMPTY;
  try {
    const { size } = await fh.stat();
    const from = Math.max(0, size - maxBytes);
    // One byte more, before the window, says whether the window starts a line.
    const readFrom = from > 0 ? from - 1 : 0;
    const raw = await readAt(fh, readFrom, size - readFrom);
    const buf = from > 0 ? raw.subarray(1) : raw;
    let start = 0;
    if (from > 0 && raw[0] !== NEWLINE) {
      const nl = buf.indexOf(NEWLINE);
      start = nl >= 0 && nl + 1 < buf.length ? nl + 1 : utf8Start(buf);
    }
    return { text: buf.subarray(start).toString('utf8'), offset: from + start, next: from + buf.length, size };
  } finally {
    await fh.close();
  }
}

/**
 * Up to `maxBytes` from `offset`: whole UTF-8 characters only, and ending at a line's end when the
 * slice is cut short and a line ends in it. `next` is where the following read starts.
 */
export async function readLog(file: string | null, offset: number, maxBytes = LOG_CHUNK_BYTES): Promise<LogSliceValue> {
  if (file === null) return { ...EMPTY, offset, next: offset };
  const fh = await openOrNull(file);
  if (fh === null) return { ...EMPTY, offset, next: offset };
  try {
    const { size } = await fh.stat();
    if (offset >= size) return { text: '', offset: size, next: size, size };
    const buf = await readAt(fh, offset, Math.min(maxBytes, size - offset));
    const start = utf8Start(buf);
    let end = buf.length;
    if (offset + buf.length < size) {
      const nl = buf.lastIndexOf(NEWLINE);
      end = nl >= start ? nl + 1 : utf8End(buf);
      if (end <= start) end = buf.length; // one character larger than the slice: give it whole bytes
    }
    return { text: buf.subarray(start, end).toString('utf8'), offset: offset + start, next: offset + end, size };
  } finally {
    await fh.close();
  }
}

export interface LogMatchValue {
  line: number;
  offset: number;
  text: string;
}

/** The longest line text a match returns, and the most of one line that is searched. */
const MATCH_TEXT_CHARS = 1000;
const SEARCH_LINE_BYTES = 1024 * 1024;

/**
 * Lines containing `query` (case-insensitive), streaming through the file: memory stays bounded
 * whatever the log's size. Line numbers start at 1; offsets are byte offsets of the line's start.
 */
export async function searchLog(
  file: string | null,
  query: string,
  maxMatches = 200,
): Promise<{ matches: LogMatchValue[]; truncated: boolean }> {
  const matches: LogMatchValue[] = [];
  if (file === null || query === '') return { matches, truncated: false };
  const needle = query.toLowerCase();
  const stream = createReadStream(file, { highWaterMark: 256 * 1024 });
  let line = 1;
  let lineStart = 0;
  let position = 0;
  let pieces: Buffer[] = [];
  let pieceBytes = 0;
  let truncated = false;

  const finishLine = (): boolean => {
    const buf = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, pieceBytes);
    let text = buf.toString('utf8');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.toLowerCase().includes(needle)) {
      if (matches.length >= maxMatches) {
        truncated = true;
        return false;
      }
      matches.push({ line, offset: lineStart, text: text.length > MATCH_TEXT_CHARS ? `${text.slice(0, MATCH_TEXT_CHARS)}…` : text });
    }
    pieces = [];
    pieceBytes = 0;
    return true;
  };
  const keep = (chunk: Buffer) => {
    const room = SEARCH_LINE_BYTES - pieceBytes;
    if (room <= 0) return;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    pieces.push(part);
    pieceBytes += part.length;
  };

  try {
    outer: for await (const data of stream) {
      const chunk = data as Buffer;
      let from = 0;
      for (;;) {
        const nl = chunk.indexOf(NEWLINE, from);
        if (nl < 0) {
          keep(chunk.subarray(from));
          break;
        }
        keep(chunk.subarray(from, nl));
        if (!finishLine()) break outer;
        line++;
        lineStart = position + nl + 1;
        from = nl + 1;
      }
      position += chunk.length;
    }
    if (!truncated && pieceBytes > 0) finishLine();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  } finally {
    stream.destroy();
  }
  return { matches, truncated };
}

async function openOrNull(file: string): Promise<FileHandle | null> {
  try {
    return await open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export interface LogFollowerOptions {
  file: string;
  jobId: number;
  /** Where to start: 0 for a new job, the file's size when re-attaching (the history is a tail away). */
  offset: number;
  emit: (chunk: LogChunk) => void;
  /** Also handed every emitted text (progress lines are parsed from it). */
  onText?: (text: string) => void;
  pollMs?: number;
  /** A line without its end is held back this long, then sent as it is. */
  partialLineMs?: number;
  /** Reads are at least this far apart, however fast the file grows. */
  minIntervalMs?: number;
  maxChunkBytes?: number;
}

/**
 * Follows a growing log by offset: fs.watch for promptness, a poll in case watching fails or
 * misses, at most one read in flight, and never more than `maxChunkBytes` read per step — when
 * more arrived, only the newest bytes are sent, with their true offset, so the reader knows it
 * skipped. Chunks end at line ends (a lone partial line is sent after a moment) and never split
 * a UTF-8 character.
 */
export class LogFollower {
  private offset: number;
  private readonly opts: Required<Omit<LogFollowerOptions, 'onText'>> & Pick<LogFollowerOptions, 'onText'>;
  private watcher: FSWatcher | null = null;
  private poll: NodeJS.Timeout | null = null;
  private delayed: NodeJS.Timeout | null = null;
  private fh: FileHandle | null = null;
  private reading: Promise<void> | null = null;
  private again = false;
  private lastRead = 0;
  private partialSince: number | null = null;
  private stopped = false;

  constructor(options: LogFollowerOptions) {
    this.opts = {
      pollMs: 250,
      partialLineMs: 1000,
      minIntervalMs: 50,
      maxChunkBytes: LOG_CHUNK_BYTES,
      ...options,
    };
    this.offset = options.offset;
  }

  start(): void {
    this.poll = setInterval(() => this.schedule(), this.opts.pollMs);
    this.poll.unref();
    this.tryWatch();
    this.schedule();
  }

  /** Stops following after a last read that sends everything left, partial line included. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.poll) clearInterval(this.poll);
    if (this.delayed) clearTimeout(this.delayed);
    this.watcher?.close();
    this.watcher = null;
    while (this.reading) await this.reading;
    try {
      await this.readOnce(true);
    } catch {
      // the log went away: nothing more to send
    }
    await this.fh?.close().catch(() => undefined);
    this.fh = null;
  }

  /** Stops at once, sending nothing more (the runner is closing). */
  dispose(): void {
    this.stopped = true;
    if (this.poll) clearInterval(this.poll);
    if (this.delayed) clearTimeout(this.delayed);
    this.watcher?.close();
    this.watcher = null;
    // A read in flight may still open the file: close it once that read is over.
    void (this.reading ?? Promise.resolve()).finally(() => {
      const fh = this.fh;
      this.fh = null;
      void fh?.close().catch(() => undefined);
    });
  }

  private tryWatch(): void {
    if (this.watcher || this.stopped) return;
    try {
      this.watcher = watch(this.opts.file, { persistent: false }, () => this.schedule());
      this.watcher.on('error', () => {
        this.watcher?.close();
        this.watcher = null;
      });
    } catch {
      this.watcher = null; // not there yet, or cannot be watched: the poll carries on
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    const wait = this.lastRead + this.opts.minIntervalMs - Date.now();
    if (wait > 0) {
      if (!this.delayed) {
        this.delayed = setTimeout(() => {
          this.delayed = null;
          this.schedule();
        }, wait);
        this.delayed.unref();
      }
      return;
    }
    this.reading = this.readOnce(false)
      .catch(() => undefined)
      .finally(() => {
        this.reading = null;
        this.lastRead = Date.now();
        if (this.again) {
          this.again = false;
          this.schedule();
        }
      });
  }

  private async readOnce(final: boolean): Promise<void> {
    if (this.fh === null) {
      this.fh = await openOrNull(this.opts.file);
      if (this.fh === null) return;
      if (!final) this.tryWatch();
    }
    const fh = this.fh;
    const { size } = await fh.stat();
    if (size <= this.offset) {
      if (size < this.offset) this.offset = size; // truncated by someone: follow from its end
      return;
    }
    const cap = this.opts.maxChunkBytes;
    const from = Math.max(this.offset, size - cap);
    const buf = await readAt(fh, from, size - from);
    if (buf.length === 0) return;
    let start = 0;
    if (from > this.offset) {
      // Skipped ahead: start at the next line (or at least the next character).
      const nl = buf.indexOf(NEWLINE);
      start = nl >= 0 && nl + 1 < buf.length ? nl + 1 : utf8Start(buf);
    }
    let end = buf.length;
    if (!final) {
      const nl = buf.lastIndexOf(NEWLINE);
      if (nl >= start) {
        end = nl + 1;
        this.partialSince = null;
      } else if (buf.length - start >= cap) {
        end = utf8End(buf);
      } else {
        // A line still being written: hold it back for a moment.
        const now = Date.now();
        if (this.partialSince === null) this.partialSince = now;
        if (now - this.partialSince < this.opts.partialLineMs) {
          this.offset = from + start; // what was skipped stays skipped
          return;
        }
        end = utf8End(buf);
        this.partialSince = null;
      }
      if (end <= start) return;
    }
    if (end <= start) {
      this.offset = from + end;
      return;
    }
    const text = buf.subarray(start, end).toString('utf8');
    this.offset = from + end;
    this.opts.emit({ jobId: this.opts.jobId, offset: from + start, text });
    this.opts.onText?.(text);
  }
}

/** The size of a file, or 0 when it does not exist. */
export async function fileSize(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}
