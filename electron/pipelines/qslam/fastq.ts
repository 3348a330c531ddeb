/**
 * Streaming FASTQ (plain or gzip) reading and writing. Memory stays flat whatever the input size:
 * the reader holds one decompressed chunk of lines at a time, the writer waits for 'drain'.
 */
import { closeSync, createReadStream, createWriteStream, openSync, readSync, statSync, type ReadStream } from 'node:fs';
import { once } from 'node:events';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable, Writable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';

/** Bad input: the message names the file and, where it can, the record. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

export interface FastqRecord {
  /** The header line without its leading '@'. */
  header: string;
  seq: string;
  qual: string;
}

/** True when the file starts with the gzip magic bytes (whatever its name). */
export function isGzipFile(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(2);
    return readSync(fd, buf, 0, 2, 0) === 2 && buf[0] === 0x1f && buf[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/**
 * Lines of a readable stream in batches (one per chunk), '\r' stripped. Reads on demand, so a slow
 * consumer holds the producer back (backpressure) instead of buffering its output.
 */
export async function* lineBatches(stream: AsyncIterable<Buffer | string>): AsyncGenerator<string[]> {
  let pending = '';
  for await (const chunk of stream) {
    const text = pending + (typeof chunk === 'string' ? chunk : chunk.toString('latin1'));
    const lines = text.split('\n');
    pending = lines.pop() ?? '';
    if (lines.length > 0) yield lines.map(stripCr);
  }
  if (pending !== '') yield [stripCr(pending)];
}

/**
 * Lines of a text file, plain or gzip, in batches. `bytesRead` (of the file itself, compressed or
 * not) is for progress reports.
 */
export class LineSource {
  readonly label: string;
  readonly totalBytes: number;
  private readonly raw: ReadStream;
  private readonly stream: Readable;
  private readonly iterator: AsyncGenerator<string[]>;

  constructor(readonly path: string, label = basename(path)) {
    this.label = label;
    this.totalBytes = statSync(path).size;
    const gz = this.totalBytes >= 2 && isGzipFile(path);
    this.raw = createReadStream(path, { highWaterMark: 256 * 1024 });
    this.stream = gz ? this.raw.pipe(createGunzip()) : this.raw;
    if (gz) this.raw.on('error', (err) => this.stream.destroy(err));
    this.iterator = lineBatches(this.stream);
  }

  get bytesRead(): number {
    return this.raw.bytesRead;
  }

  /** The next batch of complete lines, or null at the end of the file. Throws on a read or gzip error. */
  async nextBatch(): Promise<string[] | null> {
    const { value, done } = await this.iterator.next();
    return done ? null : value;
  }

  close(): void {
    this.stream.destroy();
    this.raw.destroy();
  }
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** Reads FASTQ records one at a time, validating each; errors name the file and the record number (1-based). */
export class FastqReader {
  /** Records returned so far. */
  records = 0;
  private readonly source: LineSource;
  private lines: string[] = [];
  private at = 0;

  constructor(path: string, label = basename(path)) {
    this.source = new LineSource(path, label);
  }

  get label(): string {
    return this.source.label;
  }
  get bytesRead(): number {
    return this.source.bytesRead;
  }
  get totalBytes(): number {
    return this.source.totalBytes;
  }

  private error(what: string): InputError {
    return new InputError(`${this.label} record ${this.records + 1}: ${what}`);
  }

  /** Ensures at least `n` lines are buffered; false when the file ends first. */
  private async fill(n: number): Promise<boolean> {
    while (this.lines.length - this.at < n) {
      let batch: string[] | null;
      try {
        batch = await this.source.nextBatch();
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        if (e.code === 'ENOENT') throw new InputError(`${this.label}: file not found (${this.source.path})`);
        if (typeof e.code === 'string' && e.code.startsWith('Z_')) throw this.error(`the gzip data is truncated or corrupt (${e.message})`);
        throw this.error(`cannot read the file: ${e.message}`);
      }
      if (batch === null) return false;
      this.lines = this.at < this.lines.length ? this.lines.slice(this.at).concat(batch) : batch;
      this.at = 0;
    }
    return true;
  }

  async next(): Promise<FastqRecord | null> {
    // Blank lines between records (and at the end) are tolerated.
    for (;;) {
      if (!(await this.fill(1))) return null;
      if (this.lines[this.at] !== '') break;
      this.at++;
    }
    if (!(await this.fill(4))) {
      throw this.error('the file is truncated (it ends inside the record)');
    }
    const header = this.lines[this.at] as string;
    const seq = this.lines[this.at + 1] as string;
    const plus = this.lines[this.at + 2] as string;
    const qual = this.lines[this.at + 3] as string;
    if (!header.startsWith('@')) throw this.error(`the header line does not start with '@' (${JSON.stringify(header.slice(0, 40))})`);
    if (!plus.startsWith('+')) throw this.error(`the third line does not start with '+' (${JSON.stringify(plus.slice(0, 40))})`);
    if (seq.length !== qual.length) throw this.error(`sequence and quality lengths differ (${seq.length} and ${qual.length})`);
    this.at += 4;
    this.records++;
    return { header: header.slice(1), seq, qual };
  }

  close(): void {
    this.source.close();
  }
}

/** The first whitespace-separated token of a header, without a trailing /1 or /2. */
export function readName(header: string): string {
  const space = header.search(/[ \t]/);
  const first = space < 0 ? header : header.slice(0, space);
  return first.endsWith('/1') || first.endsWith('/2') ? first.slice(0, -2) : first;
}

/**
 * Text output with backpressure, optionally gzip-compressed. Writes are batched into ~64 KB
 * chunks; `write` resolves at once unless the stream asked us to wait.
 */
export class TextWriter {
  private readonly head: Writable;
  private readonly done: Promise<void>;
  private buffer: string[] = [];
  private size = 0;

  constructor(readonly path: string, options: { gzip?: boolean } = {}) {
    const file = createWriteStream(path);
    if (options.gzip ?? path.endsWith('.gz')) {
      const gz = createGzip({ level: 4 });
      this.head = gz;
      this.done = pipeline(gz, file);
    } else {
      this.head = file;
      this.done = once(file, 'finish').then(() => undefined);
      file.on('error', () => undefined);
    }
  }

  async write(text: string): Promise<void> {
    this.buffer.push(text);
    this.size += text.length;
    if (this.size >= 64 * 1024) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.size === 0) return;
    const chunk = this.buffer.join('');
    this.buffer = [];
    this.size = 0;
    if (!this.head.write(chunk)) await Promise.race([once(this.head, 'drain'), this.done]);
  }

  async close(): Promise<void> {
    await this.flush();
    this.head.end();
    await this.done;
  }
}

export function fastqText(record: FastqRecord): string {
  return `@${record.header}\n${record.seq}\n+\n${record.qual}\n`;
}
