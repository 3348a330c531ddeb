/**
 * Reads a BGZF file block by block (SAM/BAM specification, 4.1). Each block's header carries its
 * size, so the reader knows where every block starts: a file cut short, or a damaged block, is
 * reported with the byte offset of the block itself, which a plain gunzip stream cannot tell.
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { crc32, inflateRawSync } from 'node:zlib';
import { InputError } from '../../pipelines/qslam/fastq';

/** Fixed part of a gzip member header, up to and including XLEN. */
const FIXED_HEADER = 12;
/** CRC32 and ISIZE after the compressed data. */
const FOOTER = 8;
const FEXTRA = 4;

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

/**
 * The decompressed contents of the file, in the order of the file: one buffer per read of the
 * file (the blocks it held, joined). Ends with an error naming the file and the block's byte
 * offset when a block is cut short, damaged, or the end-of-file block is missing.
 */
export async function* readBgzf(file: string, progress: BgzfProgress = { compressedBytes: 0 }): AsyncGenerator<Buffer> {
  const source = createReadStream(file, { highWaterMark: 1 << 20 });
  let carry: Buffer = Buffer.alloc(0);
  /** File offset of carry[0]. */
  let offset = 0;
  let lastBlockEmpty = false;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      progress.compressedBytes += chunk.length;
      const buf = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
      const out: Buffer[] = [];
      let p = 0;
      while (buf.length - p >= 4) {
        const at = offset + p;
        if (buf[p] !== 0x1f || buf[p + 1] !== 0x8b || buf[p + 2] !== 8 || (buf[p + 3]! & FEXTRA) === 0) {
          throw new InputError(at === 0 ? `${file}: not a readable BGZF/BAM file (it does not start with a BGZF block)` : `${file}: not a BGZF block at byte ${at} (the file is damaged)`);
        }
        if (buf.length - p < FIXED_HEADER) break;
        const xlen = buf.readUInt16LE(p + 10);
        if (buf.length - p < FIXED_HEADER + xlen) break;
        const field = blockSizeField(buf.subarray(p + FIXED_HEADER, p + FIXED_HEADER + xlen));
        if (field < 0) throw new InputError(`${file}: the gzip member at byte ${at} is not a BGZF block (no block size): not a BAM file`);
        const size = buf.readUInt16LE(p + FIXED_HEADER + field) + 1;
        if (size < FIXED_HEADER + xlen + FOOTER) throw new InputError(`${file}: corrupt BGZF block at byte ${at} (block size ${size})`);
        if (buf.length - p < size) break;
        const data = buf.subarray(p + FIXED_HEADER + xlen, p + size - FOOTER);
        const expectedCrc = buf.readUInt32LE(p + size - FOOTER);
        const expectedSize = buf.readUInt32LE(p + size - 4);
        let inflated: Buffer;
        try {
          inflated = inflateRawSync(data);
        } catch (err) {
          throw new InputError(`${file}: corrupt BGZF block at byte ${at} (${(err as Error).message})`);
        }
        if (inflated.length !== expectedSize || crc32(inflated) !== expectedCrc) {
          throw new InputError(`${file}: corrupt BGZF block at byte ${at} (its data does not match its checksum)`);
        }
        if (inflated.length > 0) out.push(inflated);
        lastBlockEmpty = inflated.length === 0;
        p += size;
      }
      carry = p === buf.length ? Buffer.alloc(0) : Buffer.from(buf.subarray(p));
      offset += p;
      if (out.length > 0) yield out.length === 1 ? out[0]! : Buffer.concat(out);
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
