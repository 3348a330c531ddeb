/**
 * FASTQ records straight from bytes: no strings, no per-read allocation. Only the quality line is
 * read byte by byte (error probabilities from a lookup table); the other lines are found with
 * Buffer.indexOf (memchr).
 */
import { InputError, LINE_LIMITS, sizeText } from '../../pipelines/qslam/fastq';
import type { RecordParser } from './parser';
import { ERROR_BY_FASTQ_BYTE } from './qscore';
import type { ReadQcAccumulator } from './stats';

const NL = 0x0a;
const CR = 0x0d;
const AT = 0x40;
const PLUS = 0x2b;

/** Length of the line buf[start, end) without a trailing '\r'. */
function lineLength(buf: Buffer, start: number, end: number): number {
  return end > start && buf[end - 1] === CR ? end - start - 1 : end - start;
}

export class FastqParser implements RecordParser {
  readonly format = 'fastq';
  records = 0;

  constructor(
    private readonly label: string,
    private readonly sink: ReadQcAccumulator,
  ) {}

  private error(buf: Buffer, headerStart: number, headerEnd: number, what: string): InputError {
    const header = buf.toString('latin1', headerStart + 1, Math.min(headerEnd, headerStart + 200));
    const name = header.split(/[ \t\r]/)[0];
    return new InputError(`${this.label} record ${this.records + 1}${name ? ` (${name})` : ''}: ${what}`);
  }

  private tooLong(): InputError {
    return new InputError(`${this.label}: record ${this.records + 1}: line longer than ${sizeText(LINE_LIMITS.fastq)}`);
  }

  parse(buf: Buffer, final: boolean): number {
    const table = ERROR_BY_FASTQ_BYTE;
    const len = buf.length;
    let pos = 0;
    for (;;) {
      // Blank lines between records (and at the end) are tolerated.
      while (pos < len && (buf[pos] === NL || (buf[pos] === CR && buf[pos + 1] === NL))) pos += buf[pos] === NL ? 1 : 2;
      if (pos >= len || (!final && pos === len - 1 && buf[pos] === CR)) return pos;
      const h = pos;
      const e1 = buf.indexOf(NL, h);
      if (buf[h] !== AT) {
        throw new InputError(`${this.label} record ${this.records + 1}: the header line does not start with '@' (${JSON.stringify(buf.toString('latin1', h, Math.min(e1 < 0 ? len : e1, h + 40)))})`);
      }
      const e2 = e1 < 0 ? -1 : buf.indexOf(NL, e1 + 1);
      const e3 = e2 < 0 ? -1 : buf.indexOf(NL, e2 + 1);
      let e4 = e3 < 0 ? -1 : buf.indexOf(NL, e3 + 1);
      // Every line of the record so far, the unfinished one included, must stay within the limit:
      // the caller's window grows until a record is whole, so this is what bounds its memory.
      const max = LINE_LIMITS.fastq;
      if (
        (e1 < 0 ? len : e1) - h > max ||
        (e1 >= 0 && (e2 < 0 ? len : e2) - e1 - 1 > max) ||
        (e2 >= 0 && (e3 < 0 ? len : e3) - e2 - 1 > max) ||
        (e3 >= 0 && (e4 < 0 ? len : e4) - e3 - 1 > max)
      ) {
        throw this.tooLong();
      }
      if (e4 < 0) {
        if (!final) return h;
        // The last record may lack its final newline, nothing else.
        if (e3 < 0) throw this.error(buf, h, e1 < 0 ? len : e1, 'the file is truncated (it ends inside the record)');
        e4 = len;
      }
      const seqLength = lineLength(buf, e1 + 1, e2);
      if (buf[e2 + 1] !== PLUS) throw this.error(buf, h, e1, `the third line does not start with '+' (${JSON.stringify(buf.toString('latin1', e2 + 1, Math.min(e3, e2 + 41)))})`);
      const qStart = e3 + 1;
      const qualLength = lineLength(buf, qStart, e4);
      if (qualLength !== seqLength) {
        const truncated = final && e4 === len && qualLength < seqLength;
        throw this.error(buf, h, e1, truncated ? `the file is truncated (quality line of ${qualLength} for a sequence of ${seqLength})` : `sequence and quality lengths differ (${seqLength} and ${qualLength})`);
      }
      let err = 0;
      for (let i = qStart, end = qStart + qualLength; i < end; i++) err += table[buf[i]!]!;
      if (Number.isNaN(err)) throw this.error(buf, h, e1, 'the quality line has a character outside ! to ~');
      this.records++;
      this.sink.add(seqLength, err);
      pos = e4 + 1;
    }
  }
}
