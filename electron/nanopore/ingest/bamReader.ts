/**
 * Streams the records of a whole BAM file (typically unaligned, straight from the basecaller): its
 * BGZF blocks are inflated as the file is read in chunks (bgzfReader), so it is never held in memory.
 *
 * The record layout is decoded here rather than with @gmod/bam: its BamRecord decodes lazily from
 * an indexed, random-access file handle, while a streamed ingest needs only a handful of fixed-offset
 * fields of each record, read once, in place, from the chunk that holds it.
 */
import { InputError } from '../../pipelines/qslam/fastq';
import { readBgzf, type BgzfProgress } from './bgzfReader';

export const FLAG_SECONDARY = 0x100;
export const FLAG_SUPPLEMENTARY = 0x800;

/** One record, as views into the decompressed chunk: valid until the next record is read. */
export interface BamRecord {
  /** The whole record including its 4-byte length, for copying it out (tagged BAM). */
  raw: Buffer;
  name: string;
  flag: number;
  /** Number of bases. */
  length: number;
  /** Packed sequence, two 4-bit codes a byte (high nibble first). */
  seq: Buffer;
  /** Phred qualities; 0xFF in the first byte means "not stored". */
  qual: Buffer;
  /** The optional fields (tags). */
  aux: Buffer;
}

export interface BamHeader {
  /** Everything before the first record, as it is in the file (the tagged BAM reuses it). */
  raw: Buffer;
  text: string;
}

/** Where the reader is, for progress: compressed bytes read so far. */
export type BamProgress = BgzfProgress;

const MAGIC = 0x014d4142; // "BAM\1" little-endian

function parseHeader(buf: Buffer, file: string): { header: BamHeader; end: number } | null {
  if (buf.length < 8) return null;
  if (buf.readUInt32LE(0) !== MAGIC) throw new InputError(`${file}: not a BAM file (no BAM magic after decompression)`);
  const lText = buf.readInt32LE(4);
  let p = 8 + lText;
  if (buf.length < p + 4) return null;
  const nRef = buf.readInt32LE(p);
  p += 4;
  for (let i = 0; i < nRef; i++) {
    if (buf.length < p + 4) return null;
    const lName = buf.readInt32LE(p);
    p += 4 + lName + 4;
    if (buf.length < p) return null;
  }
  return { header: { raw: Buffer.from(buf.subarray(0, p)), text: buf.toString('utf8', 8, 8 + lText).replace(/\0+$/, '') }, end: p };
}

function decodeRecord(buf: Buffer, start: number, size: number, file: string, index: number): BamRecord {
  const p = start + 4;
  const lName = buf[p + 8]!;
  const nCigar = buf.readUInt16LE(p + 12);
  const flag = buf.readUInt16LE(p + 14);
  const length = buf.readInt32LE(p + 16);
  const nameAt = p + 32;
  const seqAt = nameAt + lName + 4 * nCigar;
  const qualAt = seqAt + ((length + 1) >> 1);
  const auxAt = qualAt + length;
  const end = start + 4 + size;
  if (lName < 1 || length < 0 || auxAt > end) throw new InputError(`${file}: record ${index + 1} is malformed (its fields run past its length)`);
  return {
    raw: buf.subarray(start, end),
    name: buf.toString('latin1', nameAt, nameAt + lName - 1),
    flag,
    length,
    seq: buf.subarray(seqAt, qualAt),
    qual: buf.subarray(qualAt, auxAt),
    aux: buf.subarray(auxAt, end),
  };
}

/**
 * The header, then every record, in file order. `progress.compressedBytes` follows the read.
 */
export async function* readBam(file: string, progress: BamProgress = { compressedBytes: 0 }): AsyncGenerator<BamHeader | BamRecord> {
  let pending: Buffer = Buffer.alloc(0);
  let headerDone = false;
  let index = 0;
  for await (const chunk of readBgzf(file, progress)) {
    const buf = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let p = 0;
    if (!headerDone) {
      const parsed = parseHeader(buf, file);
      if (!parsed) {
        pending = buf;
        continue;
      }
      headerDone = true;
      yield parsed.header;
      p = parsed.end;
    }
    while (buf.length - p >= 4) {
      const size = buf.readInt32LE(p);
      if (size < 32) throw new InputError(`${file}: record ${index + 1} is malformed (block size ${size})`);
      if (buf.length - p - 4 < size) break;
      yield decodeRecord(buf, p, size, file, index);
      index += 1;
      p += 4 + size;
    }
    pending = p === buf.length ? Buffer.alloc(0) : Buffer.from(buf.subarray(p));
  }
  if (!headerDone) throw new InputError(`${file}: not a BAM file (too short for a BAM header)`);
  if (pending.length > 0) throw new InputError(`${file}: truncated after record ${index} (${pending.length} bytes of an unfinished record)`);
}

/** A tag's value of type Z (text), or null when the record does not have the tag. */
export function stringTag(aux: Buffer, tag: string): string | null {
  const t0 = tag.charCodeAt(0);
  const t1 = tag.charCodeAt(1);
  let p = 0;
  while (p + 3 <= aux.length) {
    const type = aux[p + 2]!;
    const hit = aux[p] === t0 && aux[p + 1] === t1;
    p += 3;
    switch (type) {
      case 0x41: // A
      case 0x63: // c
      case 0x43: // C
        p += 1;
        break;
      case 0x73: // s
      case 0x53: // S
        p += 2;
        break;
      case 0x69: // i
      case 0x49: // I
      case 0x66: // f
        p += 4;
        break;
      case 0x5a: // Z
      case 0x48: {
        // H
        const end = aux.indexOf(0, p);
        if (end < 0) return null;
        if (hit && type === 0x5a) return aux.toString('latin1', p, end);
        p = end + 1;
        break;
      }
      case 0x42: {
        // B: subtype, count, values
        const sub = aux[p]!;
        const count = aux.readInt32LE(p + 1);
        const width = sub === 0x63 || sub === 0x43 ? 1 : sub === 0x73 || sub === 0x53 ? 2 : 4;
        p += 5 + count * width;
        break;
      }
      default:
        return null;
    }
  }
  return null;
}
