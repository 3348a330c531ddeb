/**
 * Streaming FASTQ (plain or gzip) reading and writing, and the bounded line reader every text
 * reader of the project uses. Memory stays flat whatever the input size: the reader holds one
 * decompressed chunk of lines at a time (and a line at most LINE_LIMITS long), the writer waits
 * for 'drain'.
 */
import { closeSync, createReadStream, createWriteStream, openSync, readFileSync, readSync, statSync, type ReadStream } from 'node:fs';
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

const MiB = 1 << 20;

/**
 * How long a line may be, by format: far above any real file's lines, so that a broken or
 * hostile file (one 512 Mbp line) stops with an error instead of taking all the memory.
 */
export const LINE_LIMITS = {
  /** One FASTQ line holds a whole read: ultra-long nanopore reads reach ~4 Mbp. */
  fastq: 64 * MiB,
  /**
   * A FASTA line may legitimately hold a whole chromosome (human chr1 is 249 Mbp); V8 strings
   * end near 512 M characters anyway.
   */
  fasta: 256 * MiB,
  /** A row of a table (TSV, BED, GTF, summaries, tool output): a few kB in practice. */
  table: 1 * MiB,
} as const;

export function sizeText(bytes: number): string {
  return bytes >= MiB && bytes % MiB === 0 ? `${bytes / MiB} MiB` : `${bytes} bytes`;
}

/** A line over its format's limit (LINE_LIMITS): `line` is its 1-based number in the file. */
export class LineTooLongError extends InputError {
  constructor(
    readonly label: string,
    readonly line: number,
    readonly limit: number,
  ) {
    super(`${label}: line ${line}: line longer than ${sizeText(limit)}`);
  }
}

/**
 * A whole text file that is small by nature (a run summary, a plasmid's FASTA): refused before it
 * is read when it is larger than `maxBytes`, since then it is not the file it claims to be.
 */
export function readSmallTextFile(path: string, maxBytes: number, what: string): string {
  const size = statSync(path).size;
  if (size > maxBytes) throw new InputError(`${path}: ${sizeText(size)}, larger than ${sizeText(maxBytes)}: too large for ${what}`);
  return readFileSync(path, 'utf8');
}

const NL = 0x0a;

/** The 1-based number of the first line of `bytes` longer than `maxLine` bytes, or 0 when none is. */
export function firstLongLine(bytes: Uint8Array, maxLine: number): number {
  if (bytes.length <= maxLine) return 0;
  for (let start = 0, line = 1; start < bytes.length; line++) {
    const nl = bytes.indexOf(NL, start);
    const end = nl < 0 ? bytes.length : nl;
    if (end - start > maxLine) return line;
    start = end + 1;
  }
  return 0;
}

/**
 * Lines of a readable stream in batches (one per chunk), '\r' stripped. Reads on demand, so a slow
 * consumer holds the producer back (backpressure) instead of buffering its output. A line longer
 * than `maxLine` bytes throws LineTooLongError as soon as it is seen, so memory stays within
 * `maxLine` and a chunk. `label` names the source in that error.
 */
export async function* lineBatches(stream: AsyncIterable<Buffer>, maxLine: number, label: string): AsyncGenerator<string[]> {
  // The start of an unfinished line, kept as pieces: joining them per chunk would copy it again and again.
  let parts: Buffer[] = [];
  let partBytes = 0;
  let lines = 0;
  for await (const chunk of stream) {
    const last = chunk.lastIndexOf(NL);
    if (last < 0) {
      partBytes += chunk.length;
      if (partBytes > maxLine) throw new LineTooLongError(label, lines + 1, maxLine);
      parts.push(chunk);
      continue;
    }
    const head = parts.length === 0 ? chunk.subarray(0, last) : Buffer.concat([...parts, chunk.subarray(0, last)]);
    const batch = head.toString('latin1').split('\n');
    if (head.length > maxLine) {
      const long = batch.findIndex((line) => line.length > maxLine);
      if (long >= 0) throw new LineTooLongError(label, lines + long + 1, maxLine);
    }
    lines += batch.length;
    const rest = chunk.subarray(last + 1);
    parts = rest.length > 0 ? [rest] : [];
    partBytes = rest.length;
    if (partBytes > maxLine) throw new LineTooLongError(label, lines + 1, maxLine);
    yield batch.map(stripCr);
  }
  if (partBytes > 0) yield [stripCr(Buffer.concat(parts).toString('latin1'))];
}

/**
 * Lines of a text file, plain or gzip, in batches, each at most `maxLine` bytes (LINE_LIMITS).
 * `bytesRead` (of the file itself, compressed or not) is for progress reports.
 */
export class LineSource {
  readonly label: string;
  readonly totalBytes: number;
  private readonly raw: ReadStream;
  private readonly stream: Readable;
  private readonly iterator: AsyncGenerator<string[]>;

  constructor(
    readonly path: string,
    maxLine: number,
    label = basename(path),
  ) {
    this.label = label;
    this.totalBytes = statSync(path).size;
    const gz = this.totalBytes >= 2 && isGzipFile(path);
    this.raw = createReadStream(path, { highWaterMark: 256 * 1024 });
    this.stream = gz ? this.raw.pipe(createGunzip()) : this.raw;
    if (gz) this.raw.on('error', (err) => this.stream.destroy(err));
    this.iterator = lineBatches(this.stream, maxLine, label);
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
    this.source = new LineSource(path, LINE_LIMITS.fastq, label);
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
        if (err instanceof LineTooLongError) throw new InputError(`${this.label}: record ${this.records + 1}: line longer than ${sizeText(err.limit)}`);
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
