/**
 * Reads a BGZF file block by block (SAM/BAM specification, 4.1). Each block's header carries its
 * size, so the reader knows where every block starts: a file cut short, or a damaged block, is
 * reported with the byte offset of the block itself, which a plain gunzip stream cannot tell.
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { crc32, inflateRaw } from 'node:zlib';
import { InputError } from '../../pipelines/qslam/fastq';

/** Fixed part of a gzip member header, up to and including XLEN. */
const FIXED_HEADER = 12;
/** CRC32 and ISIZE after the compressed data. */
const FOOTER = 8;
const FEXTRA = 4;
/** Chunks of the file inflating (on libuv's threadpool) while the caller works on an earlier one. */
const CHUNKS_AHEAD = 2;

export interface BgzfProgress {
  compressedBytes: number;
}

/** True when the file starts with a BGZF block (a gzip member whose extra field holds its size). */
export function isBgzfFile(path: string): boolean {
  const head = Buffer.alloc(64);
  const fd = openSync(path, 'r');
  let n: number;
  try {
    n = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (n < FIXED_HEADER || head[0] !== 0x1f || head[1] !== 0x8b || (head[3]! & FEXTRA) === 0) return false;
  const xlen = head.readUInt16LE(10);
  return n >= FIXED_HEADER + xlen && blockSizeField(head.subarray(FIXED_HEADER, FIXED_HEADER + xlen)) >= 0;
}

/** Where the BC subfield's BSIZE is in the extra field, or -1 when the field has none. */
function blockSizeField(extra: Buffer): number {
  for (let p = 0; p + 4 <= extra.length; ) {
    const slen = extra.readUInt16LE(p + 2);
    if (extra[p] === 0x42 && extra[p + 1] === 0x43 && slen === 2) return p + 4;
    p += 4 + slen;
  }
  return -1;
}

/** One block's data, checked against its ISIZE and CRC32; errors name the block's byte offset. */
function inflateBlock(file: string, at: number, data: Buffer, expectedCrc: number, expectedSize: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    inflateRaw(data, (err, inflated) => {
      if (err) reject(new InputError(`${file}: corrupt BGZF block at byte ${at} (${err.message})`));
      else if (inflated.length !== expectedSize || crc32(inflated) !== expectedCrc) reject(new InputError(`${file}: corrupt BGZF block at byte ${at} (its data does not match its checksum)`));
      else resolve(inflated);
    });
  });
}

/** The blocks' data joined, in order; a damaged block's error is the first one in the file. */
async function joined(blocks: Promise<Buffer>[]): Promise<Buffer | null> {
  for (const b of blocks) b.catch(() => undefined);
  const out: Buffer[] = [];
  for (const b of blocks) {
    const data = await b;
    if (data.length > 0) out.push(data);
  }
  return out.length === 0 ? null : out.length === 1 ? out[0]! : Buffer.concat(out);
}

interface Parsed {
  /** Each whole block's data, inflating. */
  blocks: Promise<Buffer>[];
  /** Bytes of whole blocks; the rest starts a block the next read completes. */
  consumed: number;
  /** The last whole block holds no data (the end-of-file block is such a block). */
  lastEmpty: boolean | null;
  /** What stops the read at `consumed`: reported after the blocks before it are checked. */
  error: InputError | null;
}

/** Starts inflating the whole blocks in `buf`, which is at byte `offset` of the file. */
function parseBlocks(file: string, buf: Buffer, offset: number): Parsed {
  const parsed: Parsed = { blocks: [], consumed: 0, lastEmpty: null, error: null };
  let p = 0;
  const stop = (message: string) => {
    parsed.error = new InputError(message);
    return parsed;
  };
  while (buf.length - p >= 4) {
    const at = offset + p;
    parsed.consumed = p;
    if (buf[p] !== 0x1f || buf[p + 1] !== 0x8b || buf[p + 2] !== 8 || (buf[p + 3]! & FEXTRA) === 0) {
      return stop(at === 0 ? `${file}: not a readable BGZF/BAM file (it does not start with a BGZF block)` : `${file}: not a BGZF block at byte ${at} (the file is damaged)`);
    }
    if (buf.length - p < FIXED_HEADER) break;
    const xlen = buf.readUInt16LE(p + 10);
    if (buf.length - p < FIXED_HEADER + xlen) break;
    const field = blockSizeField(buf.subarray(p + FIXED_HEADER, p + FIXED_HEADER + xlen));
    if (field < 0) return stop(`${file}: the gzip member at byte ${at} is not a BGZF block (no block size): not a BAM file`);
    const size = buf.readUInt16LE(p + FIXED_HEADER + field) + 1;
    if (size < FIXED_HEADER + xlen + FOOTER) return stop(`${file}: corrupt BGZF block at byte ${at} (block size ${size})`);
    if (buf.length - p < size) break;
    const data = buf.subarray(p + FIXED_HEADER + xlen, p + size - FOOTER);
    const expectedCrc = buf.readUInt32LE(p + size - FOOTER);
    const expectedSize = buf.readUInt32LE(p + size - 4);
    parsed.blocks.push(inflateBlock(file, at, data, expectedCrc, expectedSize));
    parsed.lastEmpty = expectedSize === 0;
    p += size;
  }
  parsed.consumed = p;
  return parsed;
}

/**
 * The decompressed contents of the file, in the order of the file: one buffer per read of the
 * file (the blocks it held, joined). The blocks are inflated in parallel, off this thread, a few
 * reads ahead of the caller. Ends with an error naming the file and the block's byte offset when
 * a block is cut short, damaged, or the end-of-file block is missing (the first such block).
 */
export async function* readBgzf(file: string, progress: BgzfProgress = { compressedBytes: 0 }): AsyncGenerator<Buffer> {
  const source = createReadStream(file, { highWaterMark: 1 << 20 });
  let carry: Buffer = Buffer.alloc(0);
  /** File offset of carry[0]. */
  let offset = 0;
  let lastBlockEmpty = false;
  const ahead: Promise<Buffer | null>[] = [];
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      progress.compressedBytes += chunk.length;
      const buf = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
      const parsed = parseBlocks(file, buf, offset);
      const chunkData = joined(parsed.blocks);
      // Awaited in order below: one failing while an earlier one is awaited is not unhandled.
      chunkData.catch(() => undefined);
      ahead.push(chunkData);
      if (parsed.error) {
        // A damaged block before the place that stops the read is the error to report.
        for (const earlier of ahead) await earlier;
        throw parsed.error;
      }
      if (parsed.lastEmpty !== null) lastBlockEmpty = parsed.lastEmpty;
      carry = parsed.consumed === buf.length ? Buffer.alloc(0) : Buffer.from(buf.subarray(parsed.consumed));
      offset += parsed.consumed;
      while (ahead.length > CHUNKS_AHEAD) {
        const out = await ahead.shift()!;
        if (out) yield out;
      }
    }
    while (ahead.length > 0) {
      const out = await ahead.shift()!;
      if (out) yield out;
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') throw new InputError(`${file}: cannot be read (${code})`);
    throw err;
  } finally {
    source.destroy();
  }
  if (offset === 0 && carry.length === 0) throw new InputError(`${file}: the file is empty (not a BAM file)`);
  if (carry.length > 0) throw new InputError(`${file}: truncated BGZF block at byte ${offset} (the file ends ${carry.length} bytes into it)`);
  // Every BGZF writer ends the file with an empty block: without it, the file was cut at a block boundary.
  if (!lastBlockEmpty) throw new InputError(`${file}: truncated BGZF block at byte ${offset} (the file ends without the BGZF end-of-file block)`);
}
