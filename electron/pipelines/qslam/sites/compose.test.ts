/**
 * The pure site-calling pieces composed on hand-made BEDPE lines, the way site_analysis runs them:
 * BEDPE → fragment (same chromosome, < max length) → site → dedupe/merge → known sites → gene.
 */
import { describe, expect, it } from 'vitest';
import { GeneIndex } from './annotation';
import { fragmentOf, insertionSite, parseBedpeLine } from './bedpe';
import { callPeaks, keepPeak, type SiteFragment } from './peaks';
import { SpikeIndex } from './spike';

function sitesFrom(lines: string[], maxFragment = 1000): SiteFragment[] {
  const out: SiteFragment[] = [];
  for (const line of lines) {
    const f = fragmentOf(parseBedpeLine(line));
    if (!f || f.chr.includes('vector') || f.end - f.start >= maxFragment) continue;
    out.push({ chr: f.chr, strand: f.strand, site: insertionSite(f), start: f.start, end: f.end });
  }
  return out;
}

const bedpe = (c1: string, s1: number, e1: number, c2: string, s2: number, e2: number, st1: string, st2: string, name = 'r') => [c1, s1, e1, c2, s2, e2, name, 60, st1, st2].join('\t');

describe('hand-made BEDPE → peaks', () => {
  const lines = [
    // Site chr1:5000 (+): three distinct fragments, one read twice; one 2 bp off (merged with d=5).
    bedpe('chr1', 5000, 5100, 'chr1', 5300, 5400, '+', '-'),
    bedpe('chr1', 5000, 5100, 'chr1', 5300, 5400, '+', '-'),
    bedpe('chr1', 5000, 5090, 'chr1', 5500, 5600, '+', '-'),
    bedpe('chr1', 5002, 5102, 'chr1', 5200, 5250, '+', '-'),
    // Same ends on the − strand (mate 1 on −): another peak, site = fragment end 5400.
    bedpe('chr1', 5300, 5400, 'chr1', 5000, 5100, '-', '+'),
    // Fragment of exactly 1000 bp: dropped (kept only when shorter).
    bedpe('chr1', 8000, 8100, 'chr1', 8900, 9000, '+', '-'),
    // 999 bp: kept.
    bedpe('chr1', 9000, 9100, 'chr1', 9899, 9999, '+', '-'),
    // Mates on different chromosomes, and the vector: dropped.
    bedpe('chr1', 7000, 7100, 'chr2', 7300, 7400, '+', '-'),
    bedpe('vector', 100, 200, 'vector', 300, 400, '+', '-'),
  ];
  const peaks = callPeaks(sitesFrom(lines), 5);

  it('finds the sites with their counts and strands', () => {
    expect(peaks.map((p) => ({ chr: p.chr, strand: p.strand, start: p.start, end: p.end, site: p.site, u: p.nUniqueReads, n: p.nReads }))).toEqual([
      { chr: 'chr1', strand: '+', start: 5000, end: 5003, site: 5000, u: 3, n: 4 },
      { chr: 'chr1', strand: '+', start: 9000, end: 9001, site: 9000, u: 1, n: 1 },
      { chr: 'chr1', strand: '-', start: 5400, end: 5401, site: 5400, u: 1, n: 1 },
    ]);
    expect(peaks.filter(keepPeak)).toHaveLength(1);
  });

  it('with d = 0 the site 2 bp off (one base between) stays separate; d = 1 merges it', () => {
    expect(callPeaks(sitesFrom(lines), 1).filter((p) => p.strand === '+')).toHaveLength(2);
    expect(callPeaks(sitesFrom(lines), 0).filter((p) => p.strand === '+').map((p) => [p.start, p.nUniqueReads])).toEqual([
      [5000, 2],
      [5002, 1],
      [9000, 1],
    ]);
  });

  it('known sites and genes on the peaks', () => {
    const spikes = new SpikeIndex([{ chr: 'chr1', start: 5007, end: 5008, name: 'k', strand: '+' }]);
    const [first] = peaks;
    if (!first) throw new Error('no peak');
    // The merged peak spans [5000, 5003): 5007 is 5 bp past its end → counted with d = 5, not with 4.
    expect(spikes.count(first.chr, first.strand, first.start, first.end, 5)).toBe(1);
    expect(spikes.count(first.chr, first.strand, first.start, first.end, 4)).toBe(0);
    const genes = new GeneIndex([{ chr: 'chr1', start: 7000, end: 9000, strand: '+', name: 'G' }]);
    expect(genes.annotate(first.chr, first.site)).toEqual({ gene: 'G', geneStrand: '+', tssDistance: -2000, region: 'promoter' });
  });
});
