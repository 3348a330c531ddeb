import { describe, expect, it } from 'vitest';
import { KnownSitesError, SpikeIndex, parseKnownSiteLine, type KnownSite } from './spike';

const site = (start: number, strand: '+' | '-' | null = '+', chr = 'chr1'): KnownSite => ({ chr, start, end: start + 1, name: 'k', strand });

describe('known sites within the window (bedtools window -w d -sm -c)', () => {
  it('counts known sites within d of the peak interval, same strand', () => {
    // Peak [100, 101), d = 5 → known sites at 95..105 count (checked against bedtools 2.30).
    const idx = new SpikeIndex([site(94), site(95), site(105), site(106), site(100, '-'), site(100, '+', 'chr2')]);
    expect(idx.count('chr1', '+', 100, 101, 5)).toBe(2);
    expect(idx.count('chr1', '-', 100, 101, 5)).toBe(1);
    expect(idx.count('chr2', '+', 100, 101, 0)).toBe(1);
    expect(idx.count('chr3', '+', 100, 101, 5)).toBe(0);
  });
  it('a merged peak uses its whole interval', () => {
    const idx = new SpikeIndex([site(110), site(116)]);
    expect(idx.count('chr1', '+', 100, 111, 5)).toBe(1);
  });
  it('a known site without a strand counts on both strands', () => {
    const idx = new SpikeIndex([site(100, null)]);
    expect(idx.count('chr1', '+', 100, 101, 0)).toBe(1);
    expect(idx.count('chr1', '-', 100, 101, 0)).toBe(1);
  });
  it('parses BED lines', () => {
    expect(parseKnownSiteLine('chr1\t10\t11\tk1\t0\t-')).toEqual({ chr: 'chr1', start: 10, end: 11, name: 'k1', strand: '-' });
    expect(parseKnownSiteLine('chr1\t10\t11')).toMatchObject({ strand: null });
    expect(parseKnownSiteLine('track name=x')).toBeNull();
    expect(parseKnownSiteLine('# c')).toBeNull();
    expect(() => parseKnownSiteLine('chr1\tx\t11')).toThrow(KnownSitesError);
  });
});
