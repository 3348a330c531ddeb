/**
 * Fragments → peaks, streaming, on input sorted by (chr, strand, site, start, end) — the order
 * `LC_ALL=C sort -k1,1 -k2,2 -k3,3n -k4,4n -k5,5n` gives.
 *
 * - Duplicates are fragments with the same (chr, start, end, strand): PCR copies of one molecule.
 *   nUniqueReads counts distinct fragments, nReads all of them.
 * - Sites on the same chromosome and strand are merged into one peak when AT MOST `d` BASES LIE
 *   BETWEEN neighbouring sites (site_b − site_a − 1 ≤ d), chained. This is exactly `bedtools merge
 *   -s -d d` on the 1-bp site intervals [site, site+1) that the original pipeline used: with d = 0,
 *   adjacent sites (1 bp apart) still merge.
 * - A peak spans [first site, last site + 1) like the original's merged BED interval; its `site`
 *   (summit) is the position with the most distinct fragments (then the most reads, then the
 *   leftmost), which is what a scientist reads as "the" insertion site.
 */
import type { Strand } from './bedpe';

export interface SiteFragment {
  chr: string;
  strand: Strand;
  site: number;
  start: number;
  end: number;
}

export interface Peak {
  chr: string;
  strand: Strand;
  /** BED interval of the merged sites: [first site, last site + 1). */
  start: number;
  end: number;
  site: number;
  nUniqueReads: number;
  nReads: number;
  /** Distinct site positions merged into this peak. */
  nSites: number;
}

interface Open {
  peak: Peak;
  lastSite: number;
  /** Tally of the site being read (summit candidate). */
  cur: { site: number; unique: number; reads: number };
  best: { site: number; unique: number; reads: number };
}

export class PeakCaller {
  private open: Open | null = null;
  private last: SiteFragment | null = null;

  constructor(readonly mergeDistance: number) {
    if (!Number.isInteger(mergeDistance) || mergeDistance < 0) throw new Error(`merge distance must be a whole number ≥ 0, not ${mergeDistance}`);
  }

  /** Adds one fragment; returns the peak it closed, if any. */
  push(f: SiteFragment): Peak | null {
    const prev = this.last;
    this.last = f;
    const sameGroup = prev !== null && prev.chr === f.chr && prev.strand === f.strand;
    if (sameGroup && compareFragments(prev, f) > 0) {
      throw new Error(`fragments are not sorted: ${describe(prev)} comes before ${describe(f)}`);
    }
    const duplicate = sameGroup && prev.site === f.site && prev.start === f.start && prev.end === f.end;
    let closed: Peak | null = null;
    const o = this.open;
    if (o && sameGroup && f.site - o.lastSite - 1 <= this.mergeDistance) {
      if (f.site !== o.cur.site) {
        this.settle(o);
        o.cur = { site: f.site, unique: 0, reads: 0 };
        o.peak.nSites++;
        o.lastSite = f.site;
        o.peak.end = f.site + 1;
      }
    } else {
      closed = this.close();
      this.open = {
        peak: { chr: f.chr, strand: f.strand, start: f.site, end: f.site + 1, site: f.site, nUniqueReads: 0, nReads: 0, nSites: 1 },
        lastSite: f.site,
        cur: { site: f.site, unique: 0, reads: 0 },
        best: { site: f.site, unique: -1, reads: -1 },
      };
    }
    const open = this.open as Open;
    open.peak.nReads++;
    open.cur.reads++;
    if (!duplicate) {
      open.peak.nUniqueReads++;
      open.cur.unique++;
    }
    return closed;
  }

  private settle(o: Open): void {
    const c = o.cur;
    if (c.unique > o.best.unique || (c.unique === o.best.unique && c.reads > o.best.reads)) o.best = { ...c };
  }

  private close(): Peak | null {
    const o = this.open;
    if (!o) return null;
    this.settle(o);
    o.peak.site = o.best.site;
    this.open = null;
    return o.peak;
  }

  /** Closes the last peak. */
  finish(): Peak | null {
    return this.close();
  }
}

/** The sort order the caller needs (byte order of chr and strand, then numbers). */
export function compareFragments(a: SiteFragment, b: SiteFragment): number {
  if (a.chr !== b.chr) return a.chr < b.chr ? -1 : 1;
  if (a.strand !== b.strand) return a.strand < b.strand ? -1 : 1;
  return a.site - b.site || a.start - b.start || a.end - b.end;
}

function describe(f: SiteFragment): string {
  return `${f.chr}:${f.start}-${f.end}(${f.strand}) site ${f.site}`;
}

/** In memory, for small inputs and tests: sorts, then calls peaks. */
export function callPeaks(fragments: readonly SiteFragment[], mergeDistance: number): Peak[] {
  const caller = new PeakCaller(mergeDistance);
  const out: Peak[] = [];
  for (const f of [...fragments].sort(compareFragments)) {
    const p = caller.push(f);
    if (p) out.push(p);
  }
  const last = caller.finish();
  if (last) out.push(last);
  return out;
}

/** The original's filter for the reported table: nUniqueReads > 1 or nReads > 5. */
export function keepPeak(p: { nUniqueReads: number; nReads: number }): boolean {
  return p.nUniqueReads > 1 || p.nReads > 5;
}
