import { describe, expect, it } from 'vitest';
import { PeakCaller, callPeaks, keepPeak, type SiteFragment } from './peaks';

const plus = (site: number, end: number, chr = 'chr1'): SiteFragment => ({ chr, strand: '+', site, start: site, end });
const minus = (site: number, start: number, chr = 'chr1'): SiteFragment => ({ chr, strand: '-', site, start, end: site });

describe('dedupe and merge', () => {
  it('duplicates are the same (chr, start, end, strand)', () => {
    const peaks = callPeaks([plus(100, 400), plus(100, 400), plus(100, 400), plus(100, 520), plus(100, 610)], 5);
    expect(peaks).toEqual([{ chr: 'chr1', strand: '+', start: 100, end: 101, site: 100, nUniqueReads: 3, nReads: 5, nSites: 1 }]);
  });
  it('the same ends on the other strand are not duplicates and never merge', () => {
    const peaks = callPeaks([plus(100, 400), minus(102, 10)], 10);
    expect(peaks.map((p) => [p.strand, p.start, p.nUniqueReads])).toEqual([
      ['+', 100, 1],
      ['-', 102, 1],
    ]);
  });
  it('merges sites with at most d bases between them (bedtools merge -d semantics), chained', () => {
    // d = 5: 100 and 106 have 5 bases between them → one peak; 113 has 6 after 106 → a new one.
    const peaks = callPeaks([plus(100, 300), plus(106, 300), plus(113, 300)], 5);
    expect(peaks.map((p) => [p.start, p.end, p.nUniqueReads])).toEqual([
      [100, 107, 2],
      [113, 114, 1],
    ]);
    // Chaining: 100, 105, 110, 115 are each 5 apart → one peak with d = 4.
    expect(callPeaks([100, 105, 110, 115].map((s) => plus(s, s + 300)), 4)).toHaveLength(1);
    expect(callPeaks([100, 105, 110, 115].map((s) => plus(s, s + 300)), 3)).toHaveLength(4);
  });
  it('d = 0 merges adjacent bases only', () => {
    expect(callPeaks([plus(100, 300), plus(101, 300)], 0)).toHaveLength(1);
    expect(callPeaks([plus(100, 300), plus(102, 300)], 0)).toHaveLength(2);
  });
  it('different chromosomes never merge', () => {
    expect(callPeaks([plus(100, 300, 'chr1'), plus(100, 300, 'chr2')], 10)).toHaveLength(2);
  });
  it('the summit is the site with the most distinct fragments', () => {
    const [p] = callPeaks([plus(100, 300), plus(102, 310), plus(102, 320), plus(102, 320), plus(104, 330)], 5);
    expect(p).toMatchObject({ start: 100, end: 105, site: 102, nUniqueReads: 4, nReads: 5, nSites: 3 });
  });
  it('refuses unsorted input', () => {
    const c = new PeakCaller(5);
    c.push(plus(200, 400));
    expect(() => c.push(plus(100, 400))).toThrow(/not sorted/);
  });
  it('keeps peaks with nUniqueReads > 1 or nReads > 5', () => {
    expect(keepPeak({ nUniqueReads: 2, nReads: 2 })).toBe(true);
    expect(keepPeak({ nUniqueReads: 1, nReads: 6 })).toBe(true);
    expect(keepPeak({ nUniqueReads: 1, nReads: 5 })).toBe(false);
  });
});
