/**
 * A MinKNOW/dorado sequencing summary (TSV with a header: read_id, channel, start_time, duration,
 * end_reason, sequence_length_template, passes_filtering …), plain or gzip: yield over time, active
 * channels and the end-reason breakdown. Memory: one counter and one channel bitset per minute of
 * the run, whatever the number of reads.
 */
import { InputError, LINE_LIMITS, LineSource } from '../../pipelines/qslam/fastq';

export interface TimeBin {
  /** Start of the bin, hours since the run started. */
  startHours: number;
  reads: number;
  bases: number;
  /** Distinct channels that started a read in the bin. */
  activeChannels: number;
}

export interface EndReasonCount {
  endReason: string;
  reads: number;
  bases: number;
  fraction: number;
}

export interface SummaryMetrics {
  file: string;
  reads: number;
  bases: number;
  /** Reads with passes_filtering true; null when the column is absent. */
  passedReads: number | null;
  activeChannels: number;
  /** From the first read's start to the last read's end, in hours. */
  runHours: number;
  binMinutes: number;
  timeBins: TimeBin[];
  /** Null when the summary has no end_reason column. */
  endReasons: EndReasonCount[] | null;
}

const REQUIRED = ['channel', 'start_time', 'sequence_length_template'] as const;
/** Display bin widths to choose from, in minutes: the smallest giving at most MAX_BINS bins. */
const BIN_CHOICES = [1, 2, 5, 10, 15, 30, 60, 120, 240, 480, 960];
const MAX_BINS = 150;

/** A set of channel numbers as bits, growing with the largest channel. */
class ChannelSet {
  words = new Uint32Array(4);

  add(channel: number): void {
    const w = channel >>> 5;
    if (w >= this.words.length) {
      const bigger = new Uint32Array(Math.max(w + 1, this.words.length * 2));
      bigger.set(this.words);
      this.words = bigger;
    }
    this.words[w]! |= 1 << (channel & 31);
  }

  addAll(other: ChannelSet): void {
    if (other.words.length > this.words.length) {
      const bigger = new Uint32Array(other.words.length);
      bigger.set(this.words);
      this.words = bigger;
    }
    other.words.forEach((v, i) => (this.words[i]! |= v));
  }

  get size(): number {
    let n = 0;
    for (let v of this.words) {
      v -= (v >>> 1) & 0x55555555;
      v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
      n += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
    }
    return n;
  }
}

interface Minute {
  reads: number;
  bases: number;
  channels: ChannelSet;
}

const TRUE = new Set(['true', 'True', 'TRUE', '1']);

export async function readSequencingSummary(path: string): Promise<SummaryMetrics> {
  const label = path;
  let source: LineSource;
  try {
    source = new LineSource(path, LINE_LIMITS.table, label);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new InputError(`${label}: file not found`);
    throw err;
  }
  const minutes = new Map<number, Minute>();
  const all = new ChannelSet();
  const reasons = new Map<string, { reads: number; bases: number }>();
  let col: Record<string, number> | null = null;
  let lineNo = 0;
  let reads = 0;
  let bases = 0;
  let passed = 0;
  let first = Infinity;
  let last = -Infinity;

  const num = (fields: string[], name: string, integer: boolean): number => {
    const text = fields[col![name]!] ?? '';
    const v = Number(text);
    if (text.trim() === '' || !Number.isFinite(v) || v < 0 || (integer && !Number.isInteger(v))) {
      throw new InputError(`${label} line ${lineNo}: ${name} is not a ${integer ? 'whole ' : ''}number ≥ 0 (${JSON.stringify(text.slice(0, 40))})`);
    }
    return v;
  };

  try {
    for (let batch = await source.nextBatch(); batch; batch = await source.nextBatch()) {
      for (const line of batch) {
        lineNo++;
        if (line === '') continue;
        const fields = line.split('\t');
        if (!col) {
          col = Object.fromEntries(fields.map((f, i) => [f.trim(), i]));
          const missing = REQUIRED.filter((c) => !(c in col!));
          if (missing.length > 0) throw new InputError(`${label}: not a sequencing summary: the header has no ${missing.join(', ')} column${missing.length > 1 ? 's' : ''}`);
          continue;
        }
        const channel = num(fields, 'channel', true);
        const start = num(fields, 'start_time', false);
        const length = num(fields, 'sequence_length_template', true);
        const end = 'duration' in col ? start + num(fields, 'duration', false) : start;
        reads++;
        bases += length;
        if (start < first) first = start;
        if (end > last) last = end;
        const m = Math.floor(start / 60);
        let minute = minutes.get(m);
        if (!minute) minutes.set(m, (minute = { reads: 0, bases: 0, channels: new ChannelSet() }));
        minute.reads++;
        minute.bases += length;
        minute.channels.add(channel);
        all.add(channel);
        if ('passes_filtering' in col && TRUE.has(fields[col.passes_filtering!] ?? '')) passed++;
        if ('end_reason' in col) {
          const reason = fields[col.end_reason!] || 'unknown';
          const r = reasons.get(reason) ?? { reads: 0, bases: 0 };
          r.reads++;
          r.bases += length;
          reasons.set(reason, r);
        }
      }
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw new InputError(`${label}: file not found`);
    if (typeof e.code === 'string' && e.code.startsWith('Z_')) throw new InputError(`${label}: the gzip data is truncated or corrupt (${e.message})`);
    throw new InputError(`${label}: cannot read the file: ${e.message}`);
  } finally {
    source.close();
  }
  if (!col) throw new InputError(`${label}: the sequencing summary is empty (no header line)`);

  const lastMinute = minutes.size > 0 ? Math.max(...minutes.keys()) : -1;
  const binMinutes = BIN_CHOICES.find((w) => (lastMinute + 1) / w <= MAX_BINS) ?? Math.ceil((lastMinute + 1) / MAX_BINS);
  const timeBins: TimeBin[] = [];
  for (let b = 0; b * binMinutes <= lastMinute; b++) {
    const bin = { startHours: (b * binMinutes) / 60, reads: 0, bases: 0, activeChannels: 0 };
    const channels = new ChannelSet();
    for (let m = b * binMinutes; m < (b + 1) * binMinutes; m++) {
      const minute = minutes.get(m);
      if (!minute) continue;
      bin.reads += minute.reads;
      bin.bases += minute.bases;
      channels.addAll(minute.channels);
    }
    bin.activeChannels = channels.size;
    timeBins.push(bin);
  }
  return {
    file: path,
    reads,
    bases,
    passedReads: 'passes_filtering' in col ? passed : null,
    activeChannels: all.size,
    runHours: reads > 0 ? (last - first) / 3600 : 0,
    binMinutes,
    timeBins,
    endReasons:
      'end_reason' in col
        ? [...reasons]
            .map(([endReason, r]) => ({ endReason, reads: r.reads, bases: r.bases, fraction: reads > 0 ? r.reads / reads : 0 }))
            .sort((a, b) => b.reads - a.reads || a.endReason.localeCompare(b.endReason))
        : null,
  };
}
