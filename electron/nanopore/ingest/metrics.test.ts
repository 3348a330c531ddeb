import { describe, expect, it } from 'vitest';
import { assignReference, qBc, qLd } from './metrics';

describe('q_bc', () => {
  it('is the Phred value of the mean error probability, not the mean Phred value', () => {
    // Q10 and Q20: error probabilities 0.1 and 0.01, mean 0.055 → 12.596…, not 15.
    expect(qBc(Uint8Array.from([10, 20]))).toBeCloseTo(12.596373105057561, 12);
    expect(qBc(Uint8Array.from([30, 30, 30]))).toBeCloseTo(30, 12);
    expect(qBc(Uint8Array.from([40, 0]))).toBeCloseTo(-10 * Math.log10((1 + 1e-4) / 2), 12);
  });

  it('is 0 for an empty read and for all-Q0 bases (not -0)', () => {
    expect(Object.is(qBc(new Uint8Array(0)), 0)).toBe(true);
    expect(Object.is(qBc(Uint8Array.from([0, 0])), 0)).toBe(true);
  });
});

describe('q_ld', () => {
  it('−10·log10(ed/L) between its bounds', () => {
    expect(qLd(5, 100)).toBeCloseTo(13.010299956639813, 12);
    expect(qLd(1, 1000)).toBeCloseTo(30, 12);
  });

  it('a perfect read is capped at 1/L² (20·log10 L), a hopeless one at 1 (0)', () => {
    expect(qLd(0, 100)).toBeCloseTo(40, 12);
    expect(qLd(0, 1000)).toBeCloseTo(60, 12);
    expect(Object.is(qLd(100, 100), 0)).toBe(true);
    expect(Object.is(qLd(250, 100), 0)).toBe(true);
  });
});

describe('reference by length window', () => {
  const lengths = [1000, 1100];
  it('includes both edges of length ± tolerance', () => {
    expect(assignReference(850, lengths, 150)).toBe(0);
    expect(assignReference(1150, lengths, 150)).toBe(0);
    expect(assignReference(849, lengths, 150)).toBe(-1);
    expect(assignReference(1151, lengths, 150)).toBe(1);
    expect(assignReference(1250, lengths, 150)).toBe(1);
    expect(assignReference(1251, lengths, 150)).toBe(-1);
  });

  it('takes the first reference in FASTA order when windows overlap', () => {
    expect(assignReference(1050, lengths, 150)).toBe(0);
    expect(assignReference(1050, [1100, 1000], 150)).toBe(0);
    expect(assignReference(1000, [1100, 1000], 0)).toBe(1);
  });

  it('an empty read matches no reference unless the window reaches 0', () => {
    expect(assignReference(0, lengths, 150)).toBe(-1);
    expect(assignReference(0, [100], 100)).toBe(0);
  });
});
