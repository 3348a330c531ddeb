import { describe, expect, it } from 'vitest';
import { keepSamLine, leadingClip, passesClipFilter } from './clip';

describe('clip filter (the original: drop when the SAM CIGAR starts with a clip > 6)', () => {
  it('reads the leftmost operation only', () => {
    expect(leadingClip('10S90M')).toBe(10);
    expect(leadingClip('7H93M')).toBe(7);
    expect(leadingClip('90M10S')).toBe(0);
    expect(leadingClip('5H10S85M')).toBe(5);
    expect(leadingClip('100M')).toBe(0);
    expect(leadingClip('*')).toBe(0);
  });
  it('keeps a clip of exactly 6, drops 7', () => {
    expect(passesClipFilter('6S94M')).toBe(true);
    expect(passesClipFilter('7S93M')).toBe(false);
    expect(passesClipFilter('6H94M')).toBe(true);
    expect(passesClipFilter('7H93M')).toBe(false);
    // A long clip at the right end of the SAM CIGAR (a − strand read's start) is kept, as in the original.
    expect(passesClipFilter('80M20S')).toBe(true);
    expect(passesClipFilter('2S80M')).toBe(true);
    expect(passesClipFilter('7S93M', 10)).toBe(true);
  });
  it('applies to SAM lines and passes headers', () => {
    const rec = (cigar: string) => ['r1', '99', 'chr1', '100', '60', cigar, '=', '300', '250', 'ACGT', 'IIII'].join('\t');
    expect(keepSamLine('@SQ\tSN:chr1\tLN:1000')).toBe(true);
    expect(keepSamLine(rec('100M'))).toBe(true);
    expect(keepSamLine(rec('12S88M'))).toBe(false);
    expect(keepSamLine(rec('88M12S'))).toBe(true);
  });
});
