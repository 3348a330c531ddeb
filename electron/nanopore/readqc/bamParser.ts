/**
 * BAM records from the decompressed BGZF stream, decoding only what read QC needs from the fixed
 * layout (SAM spec §4.2): flag, l_seq, the read name (for errors) and the qualities. Secondary and
 * supplementary records are skipped, so each read counts once.
 */
import { InputError } from '../../pipelines/qslam/fastq';
import type { RecordParser } from './parser';
import { ERROR_BY_PHRED } from './qscore';
import type { ReadQcAccumulator } from './stats';

const SECONDARY_OR_SUPPLEMENTARY = 0x100 | 0x800;
/** Bytes of a record's fixed fields after block_size. */
const FIXED = 32;
/** Larger than any real read's record (a 100 Mb read is ~150 MB): a bigger block size means corruption. */
const MAX_RECORD = 1 << 30;

export class BamParser implements RecordParser {
  readonly format = 'bam';
  records = 0;
  private headerDone = false;

  constructor(
    private readonly label: string,
    private readonly sink: ReadQcAccumulator,
  ) {}

  private truncated(): InputError {
    return new InputError(`${this.label}: the BAM file is truncated (it ends inside ${this.headerDone ? `record ${this.records + 1}` : 'the header'})`);
  }

  private corruptHeader(): InputError {
    return new InputError(`${this.label}: corrupt BAM header`);
  }

  /** Bytes of the header (magic, text, references), or -1 when `buf` does not hold all of it yet. */
  private headerLength(buf: Buffer): number {
    if (buf.length < 12) return -1;
    if (buf.readInt32LE(4) < 0) throw this.corruptHeader();
    let p = 8 + buf.readInt32LE(4);
    if (buf.length < p + 4) return -1;
    const refs = buf.readInt32LE(p);
    if (refs < 0) throw this.corruptHeader();
    p += 4;
    for (let i = 0; i < refs; i++) {
      if (buf.length < p + 4) return -1;
      if (buf.readInt32LE(p) < 1) throw this.corruptHeader();
      p += 8 + buf.readInt32LE(p);
    }
    return buf.length < p ? -1 : p;
  }

  parse(buf: Buffer, final: boolean): number {
    const table = ERROR_BY_PHRED;
    let pos = 0;
    if (!this.headerDone) {
      const h = this.headerLength(buf);
      if (h < 0) {
        if (final) throw this.truncated();
        return 0;
      }
      this.headerDone = true;
      pos = h;
    }
    for (;;) {
      if (pos === buf.length) return pos;
      if (pos + 4 > buf.length) {
        if (final) throw this.truncated();
        return pos;
      }
      const size = buf.readInt32LE(pos);
      if (size < FIXED || size > MAX_RECORD) throw new InputError(`${this.label} record ${this.records + 1}: corrupt BAM record (block size ${size})`);
      const start = pos + 4;
      const end = start + size;
      if (end > buf.length) {
        if (final) throw this.truncated();
        return pos;
      }
      const nameLength = buf[start + 8]!;
      const cigarOps = buf.readUInt16LE(start + 12);
      const flag = buf.readUInt16LE(start + 14);
      const seqLength = buf.readInt32LE(start + 16);
      const nameEnd = start + FIXED + nameLength;
      const qStart = nameEnd + 4 * cigarOps + ((seqLength + 1) >> 1);
      const name = () => buf.toString('latin1', start + FIXED, Math.max(start + FIXED, nameEnd - 1));
      if (seqLength < 0 || qStart + seqLength > end) {
        throw new InputError(`${this.label} record ${this.records + 1}${nameEnd <= end ? ` (${name()})` : ''}: corrupt BAM record (its fields do not fit its ${size} bytes)`);
      }
      this.records++;
      pos = end;
      if (flag & SECONDARY_OR_SUPPLEMENTARY) continue;
      if (seqLength > 0 && buf[qStart] === 0xff) throw new InputError(`${this.label} record ${this.records} (${name()}): the read has no base qualities`);
      let err = 0;
      for (let i = qStart, e = qStart + seqLength; i < e; i++) err += table[buf[i]!]!;
      this.sink.add(seqLength, err);
    }
  }
}
