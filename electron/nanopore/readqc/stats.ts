/**
 * Read QC figures accumulated one read at a time from (length, sum of error probabilities).
 * Memory: one counter per distinct read length (a counting sort, so the median is exact) and fixed
 * Q bins — nothing per read.
 */
import { lengthStats } from '../../pipelines/qslam/readlen';
import { meanQ } from './qscore';

export const Q_THRESHOLDS = [10, 15, 20] as const;
/** Per-read mean Q distribution: bins of this width from 0, the last one open-ended. */
export const Q_BIN_WIDTH = 0.5;
const Q_BINS = 120;
/** Log-binned length histogram: bins per decade. */
export const LENGTH_BINS_PER_DECADE = 10;
/** A read's Q within this of a threshold counts as reaching it (sums of 10^(−Q/10) are not exact). */
const Q_EPSILON = 1e-9;

export interface LengthBin {
  /** Inclusive bounds, in bases. */
  from: number;
  to: number;
  reads: number;
  bases: number;
}

export interface QBin {
  from: number;
  to: number | null;
  reads: number;
}

export interface ReadQcMetrics {
  reads: number;
  bases: number;
  emptyReads: number;
  n50: number | null;
  meanLength: number | null;
  medianLength: number | null;
  minLength: number | null;
  maxLength: number | null;
  /** Probability-averaged over every base of every read; null without bases. */
  meanQ: number | null;
  /** Reads whose own probability-averaged Q is ≥ q. */
  readsAtLeastQ: { q: number; reads: number; fraction: number | null }[];
  lengthHistogram: LengthBin[];
  qHistogram: QBin[];
}

export class ReadQcAccumulator {
  reads = 0;
  bases = 0;
  private emptyReads = 0;
  private errorSum = 0;
  private readonly lengths = new Map<number, number>();
  private readonly qCounts = new Float64Array(Q_BINS);
  private readonly atLeast = Q_THRESHOLDS.map(() => 0);

  /** One read: its length and the sum of its bases' error probabilities. */
  add(length: number, errorSum: number): void {
    this.reads++;
    this.bases += length;
    this.errorSum += errorSum;
    this.lengths.set(length, (this.lengths.get(length) ?? 0) + 1);
    if (length === 0) {
      this.emptyReads++;
      this.qCounts[0]!++;
      return;
    }
    const q = meanQ(errorSum, length);
    this.qCounts[Math.min(Q_BINS - 1, Math.floor((q + Q_EPSILON) / Q_BIN_WIDTH))]!++;
    for (let i = 0; i < Q_THRESHOLDS.length; i++) if (q + Q_EPSILON >= Q_THRESHOLDS[i]!) this.atLeast[i]!++;
  }

  finish(): ReadQcMetrics {
    const s = lengthStats(this.lengths);
    let lastQ = 0;
    this.qCounts.forEach((n, i) => (n > 0 ? (lastQ = i) : undefined));
    return {
      reads: this.reads,
      bases: this.bases,
      emptyReads: this.emptyReads,
      n50: s.n50,
      meanLength: s.mean,
      medianLength: s.median,
      minLength: s.min,
      maxLength: s.max,
      meanQ: this.bases > 0 ? meanQ(this.errorSum, this.bases) : null,
      readsAtLeastQ: Q_THRESHOLDS.map((q, i) => ({ q, reads: this.atLeast[i]!, fraction: this.reads > 0 ? this.atLeast[i]! / this.reads : null })),
      lengthHistogram: logLengthHistogram(this.lengths),
      qHistogram:
        this.reads === 0
          ? []
          : Array.from({ length: lastQ + 1 }, (_, i) => ({ from: i * Q_BIN_WIDTH, to: i === Q_BINS - 1 ? null : (i + 1) * Q_BIN_WIDTH, reads: this.qCounts[i]! })),
    };
  }
}

/** The smallest length in log bin `i` (bin i holds lengths in [10^(i/k), 10^((i+1)/k))). */
function binStart(i: number): number {
  return Math.ceil(10 ** (i / LENGTH_BINS_PER_DECADE) - 1e-9);
}

function binOf(length: number): number {
  let i = Math.floor(Math.log10(length) * LENGTH_BINS_PER_DECADE + 1e-9);
  while (binStart(i + 1) <= length) i++;
  while (binStart(i) > length) i--;
  return i;
}

/**
 * Reads and bases per log-spaced length bin, from the shortest to the longest non-empty read; bins
 * that hold no whole length (below 10 bp) are left out. Empty reads are counted apart.
 */
export function logLengthHistogram(lengths: ReadonlyMap<number, number>): LengthBin[] {
  const present = [...lengths.keys()].filter((l) => l > 0 && (lengths.get(l) ?? 0) > 0);
  if (present.length === 0) return [];
  const counts = new Map<number, { reads: number; bases: number }>();
  for (const l of present) {
    const b = binOf(l);
    const c = counts.get(b) ?? { reads: 0, bases: 0 };
    c.reads += lengths.get(l)!;
    c.bases += l * lengths.get(l)!;
    counts.set(b, c);
  }
  const first = Math.min(...counts.keys());
  const last = Math.max(...counts.keys());
  const bins: LengthBin[] = [];
  for (let i = first; i <= last; i++) {
    const from = binStart(i);
    const to = binStart(i + 1) - 1;
    if (to < from) continue;
    const c = counts.get(i);
    bins.push({ from, to, reads: c?.reads ?? 0, bases: c?.bases ?? 0 });
  }
  return bins;
}
