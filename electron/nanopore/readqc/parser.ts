import type { ReadQcAccumulator } from './stats';

/**
 * A record parser working on bytes: `parse` consumes the complete records at the start of
 * `buf` and returns how many bytes it used; the caller keeps the rest and appends more.
 * `final` says no more data follows (a partial record is then an error).
 */
export interface RecordParser {
  readonly format: 'fastq' | 'bam';
  /** Records seen so far (primary and not), for error messages. */
  readonly records: number;
  parse(buf: Buffer, final: boolean): number;
}

export type ParserFactory = (label: string, sink: ReadQcAccumulator) => RecordParser;
