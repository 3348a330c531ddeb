/**
 * Known ("spike-in") sites: nOverlapWithSpike of a peak is the number of known sites within `window`
 * bp of the peak's interval on the same strand — the original's
 * `bedtools window -w d -a peaks -b known.bed -sm -c`, i.e. a known site [ks, ke) counts when
 * ks < peak.end + window and ke > peak.start − window.
 * One deliberate difference: a known site WITHOUT a strand (BED3/BED4, or strand ".") counts on
 * both strands; bedtools -sm would never count it, which silently hides a list written without strands.
 */
import type { Strand } from './bedpe';

export interface KnownSite {
  chr: string;
  start: number;
  end: number;
  name: string;
  strand: Strand | null;
}

export class KnownSitesError extends Error {}

/** One BED line → a known site; null for comments, track/browser lines and blank lines. */
export function parseKnownSiteLine(line: string): KnownSite | null {
  const text = line.trim();
  if (!text || text.startsWith('#') || text.startsWith('track') || text.startsWith('browser')) return null;
  const f = text.split('\t');
  if (f.length < 3) throw new KnownSitesError(`expected a BED line (chrom, start, end[, name, score, strand]), found ${f.length} field${f.length === 1 ? '' : 's'}`);
  const start = Number(f[1]);
  const end = Number(f[2]);
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start) throw new KnownSitesError(`start and end must be whole numbers with 0 ≤ start ≤ end (${JSON.stringify(f[1])}, ${JSON.stringify(f[2])})`);
  const s = f[5];
  return { chr: f[0] as string, start, end, name: f[3] ?? '.', strand: s === '+' || s === '-' ? s : null };
}

export class SpikeIndex {
  private readonly byChr = new Map<string, { sites: KnownSite[]; maxLen: number }>();

  constructor(sites: readonly KnownSite[]) {
    for (const s of sites) {
      const e = this.byChr.get(s.chr) ?? { sites: [], maxLen: 0 };
      e.sites.push(s);
      e.maxLen = Math.max(e.maxLen, s.end - s.start);
      this.byChr.set(s.chr, e);
    }
    for (const e of this.byChr.values()) e.sites.sort((a, b) => a.start - b.start);
  }

  get size(): number {
    let n = 0;
    for (const e of this.byChr.values()) n += e.sites.length;
    return n;
  }

  count(chr: string, strand: Strand, start: number, end: number, window: number): number {
    const e = this.byChr.get(chr);
    if (!e) return 0;
    const lo = start - window - e.maxLen;
    // First known site with start ≥ lo.
    let a = 0;
    let b = e.sites.length;
    while (a < b) {
      const mid = (a + b) >> 1;
      if ((e.sites[mid] as KnownSite).start < lo) a = mid + 1;
      else b = mid;
    }
    let n = 0;
    for (let i = a; i < e.sites.length; i++) {
      const k = e.sites[i] as KnownSite;
      if (k.start >= end + window) break;
      if (k.end > start - window && (k.strand === null || k.strand === strand)) n++;
    }
    return n;
  }
}
