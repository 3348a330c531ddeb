/**
 * Read QC of one FASTQ, FASTQ.gz (multi-member gzip included) or BAM file, streamed: the file is
 * read in large chunks into one reusable window, and a byte parser consumes the whole records in
 * it. Memory stays at the window (a few MB, or one record when a record is longer).
 */
import { createReadStream, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { InputError, isGzipFile } from '../../pipelines/qslam/fastq';
import { isBgzfFile, readBgzf } from '../ingest/bgzfReader';
import { BamParser } from './bamParser';
import { FastqParser } from './fastqParser';
import type { RecordParser } from './parser';
import { ReadQcAccumulator, type ReadQcMetrics } from './stats';

const CHUNK = 4 << 20;
/** A record longer than this is not a read: stop before memory grows with the file. */
const MAX_RECORD = 1 << 30;
const BAM_MAGIC = Buffer.from('BAM\x01', 'latin1');

export interface ReadQcFileResult {
  file: string;
  format: 'fastq' | 'bam';
  gzip: boolean;
  metrics: ReadQcMetrics;
}

/** Called now and then with the bytes of the file read so far (compressed bytes for gzip). */
export type OnProgress = (bytesRead: number, totalBytes: number) => void;

/** Bytes not yet parsed, at the start of a buffer that grows when one record needs more room. */
class Window {
  buf = Buffer.allocUnsafe(2 * CHUNK);
  len = 0;

  /** Room for at least `n` more bytes after the data. */
  reserve(n: number): void {
    if (this.buf.length - this.len >= n) return;
    const bigger = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.len + n));
    this.buf.copy(bigger, 0, 0, this.len);
    this.buf = bigger;
  }

  append(chunk: Buffer): void {
    this.reserve(chunk.length);
    chunk.copy(this.buf, this.len);
    this.len += chunk.length;
  }

  consume(n: number): void {
    if (n === 0) return;
    this.buf.copyWithin(0, n, this.len);
    this.len -= n;
  }
}

function pickParser(head: Buffer, label: string, sink: ReadQcAccumulator): RecordParser {
  if (head.length >= 4 && head.subarray(0, 4).equals(BAM_MAGIC)) return new BamParser(label, sink);
  const first = head.find((b) => b !== 0x0a && b !== 0x0d);
  if (first === undefined || first === 0x40) return new FastqParser(label, sink);
  if (first === 0x3e) throw new InputError(`${label}: this is a FASTA file ('>' header), not FASTQ or BAM: read QC needs base qualities`);
  throw new InputError(`${label}: not a FASTQ or BAM file (it starts with ${JSON.stringify(head.toString('latin1', 0, Math.min(head.length, 16)))})`);
}

function readError(label: string, err: unknown): Error {
  if (err instanceof InputError) return err;
  const e = err as NodeJS.ErrnoException;
  if (typeof e.code === 'string' && e.code.startsWith('Z_')) return new InputError(`${label}: the gzip data is truncated or corrupt (${e.message})`);
  return new InputError(`${label}: cannot read the file: ${e.message}`);
}

export async function readQcFile(path: string, onProgress: OnProgress = () => undefined): Promise<ReadQcFileResult> {
  const label = path;
  let total: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new InputError(`${label}: not a file`);
    total = st.size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new InputError(`${label}: file not found`);
    throw readError(label, err);
  }
  const gzip = total >= 2 && isGzipFile(path);
  const sink = new ReadQcAccumulator();
  const window = new Window();
  let parser: RecordParser | null = null;

  /** Parse what the window holds; at the end (`final`) everything must be consumed. */
  const drain = (final: boolean): void => {
    if (!parser) {
      if (!final && window.len < 4) return;
      parser = pickParser(window.buf.subarray(0, Math.min(window.len, 64)), label, sink);
    }
    const used = parser.parse(window.buf.subarray(0, window.len), final);
    if (used === 0 && window.len > MAX_RECORD) throw new InputError(`${label} record ${parser.records + 1}: no end in ${MAX_RECORD >> 20} MB (not a FASTQ file, or a broken one)`);
    window.consume(used);
  };

  try {
    if (gzip && isBgzfFile(path)) {
      // BAM and bgzip'd FASTQ: block by block, so a cut or damaged file is named with the block's offset.
      const progress = { compressedBytes: 0 };
      for await (const chunk of readBgzf(path, progress)) {
        window.append(chunk);
        if (window.len >= CHUNK) {
          drain(false);
          onProgress(progress.compressedBytes, total);
        }
      }
    } else if (gzip) {
      const raw = createReadStream(path, { highWaterMark: CHUNK });
      const gunzip = createGunzip({ chunkSize: 1 << 20 });
      raw.on('error', (err) => gunzip.destroy(err));
      raw.pipe(gunzip);
      for await (const chunk of gunzip as AsyncIterable<Buffer>) {
        window.append(chunk);
        if (window.len >= CHUNK) {
          drain(false);
          onProgress(raw.bytesRead, total);
        }
      }
    } else {
      const fh = await open(path, 'r');
      try {
        let read = 0;
        for (;;) {
          window.reserve(CHUNK);
          const { bytesRead } = await fh.read(window.buf, window.len, window.buf.length - window.len, null);
          if (bytesRead === 0) break;
          window.len += bytesRead;
          read += bytesRead;
          drain(false);
          onProgress(read, total);
        }
      } finally {
        await fh.close();
      }
    }
    drain(true);
  } catch (err) {
    throw readError(label, err);
  }
  onProgress(total, total);
  const format = (parser as RecordParser | null)?.format ?? 'fastq';
  return { file: path, format, gzip, metrics: sink.finish() };
}
