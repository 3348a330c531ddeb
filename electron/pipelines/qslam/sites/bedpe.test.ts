import { describe, expect, it } from 'vitest';
import { BedpeError, fragmentOf, insertionSite, parseBedpeLine } from './bedpe';

const line = (...f: Array<string | number>) => f.join('\t');

describe('BEDPE → fragment → site', () => {
  it('takes min(start)..max(end) on mate 1 strand', () => {
    // + site: R1 at 1000-1100 (+), R2 at 1400-1500 (−)
    const plus = fragmentOf(parseBedpeLine(line('chr1', 1000, 1100, 'chr1', 1400, 1500, 'r1', 60, '+', '-')));
    expect(plus).toEqual({ chr: 'chr1', start: 1000, end: 1500, strand: '+', name: 'r1', score: '60' });
    expect(insertionSite(plus as NonNullable<typeof plus>)).toBe(1000);
    // − site: R1 at 1400-1500 (−), R2 at 1000-1100 (+): fragment 1000-1500 on −, site = end
    const minus = fragmentOf(parseBedpeLine(line('chr1', 1400, 1500, 'chr1', 1000, 1100, 'r2', 60, '-', '+')));
    expect(minus).toMatchObject({ start: 1000, end: 1500, strand: '-' });
    expect(insertionSite(minus as NonNullable<typeof minus>)).toBe(1500);
  });
  it('overlapping mates: the union', () => {
    expect(fragmentOf(parseBedpeLine(line('chr2', 100, 250, 'chr2', 90, 200, 'r', 0, '+', '-')))).toMatchObject({ start: 90, end: 250 });
  });
  it('no fragment for mates on different chromosomes or an unmapped mate', () => {
    expect(fragmentOf(parseBedpeLine(line('chr1', 100, 200, 'chr2', 300, 400, 'r', 60, '+', '-')))).toBeNull();
    expect(fragmentOf(parseBedpeLine(line('.', -1, -1, '.', -1, -1, 'r', 0, '.', '.')))).toBeNull();
    expect(fragmentOf(parseBedpeLine(line('chr1', 100, 200, '.', -1, -1, 'r', 0, '+', '.')))).toBeNull();
  });
  it('rejects malformed lines', () => {
    expect(() => parseBedpeLine('chr1\t1\t2')).toThrow(BedpeError);
    expect(() => parseBedpeLine(line('chr1', 'x', 200, 'chr1', 300, 400, 'r', 60, '+', '-'))).toThrow(/field 2/);
  });
});
