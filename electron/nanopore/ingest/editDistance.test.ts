import { describe, expect, it } from 'vitest';
import { edlibDistances } from '../../../tests/nanopore/edlib';
import { mutate, randomSeq, rng } from '../../demo/data/smaReads';
import { boundedDistance, editDistance, prepareQuery } from './editDistance';
import { encodeBases } from './nucleotides';

function distance(a: string, b: string, limit?: number): number {
  const target = encodeBases(b).codes;
  return editDistance(prepareQuery(encodeBases(a).codes), target, 0, target.length, limit);
}

describe('NW edit distance', () => {
  it('hand-computed cases', () => {
    expect(distance('', '')).toBe(0);
    expect(distance('', 'ACG')).toBe(3);
    expect(distance('ACGT', '')).toBe(4);
    expect(distance('ACGT', 'ACGT')).toBe(0);
    expect(distance('ACGT', 'AGGTT')).toBe(2);
    expect(distance('NNNN', 'NNNN')).toBe(0);
    expect(distance('ANA', 'ACA')).toBe(1);
  });

  it('equals edlib on random pairs of every size and error rate (query and target swapped too)', () => {
    const rand = rng(42);
    const pairs: [string, string][] = [];
    for (let i = 0; i < 600; i++) {
      const len = [1, 5, 31, 32, 33, 63, 64, 65, 100, 500, 1500, 3000][i % 12]!;
      const ref = randomSeq(rand, len, i % 7 === 0 ? 'ACGTN' : 'ACGT');
      const rate = [0, 0.01, 0.05, 0.1, 0.3, 1][i % 6]!;
      const read = rate === 1 ? randomSeq(rand, Math.floor(rand() * 2 * len)) : mutate(rand, ref, rate);
      pairs.push([ref, read]);
    }
    const expected = edlibDistances(pairs);
    const got = pairs.map(([ref, read]) => distance(ref, read));
    const swapped = pairs.map(([ref, read]) => distance(read, ref));
    const mismatches = got.flatMap((d, i) => (d === expected[i] ? [] : [{ i, d, edlib: expected[i], m: pairs[i]![0].length, n: pairs[i]![1].length }]));
    expect(mismatches).toEqual([]);
    expect(swapped).toEqual(expected);
  });

  it('a bound below the distance gives -1, at or above it the distance', () => {
    const rand = rng(7);
    const ref = randomSeq(rand, 2000);
    const read = mutate(rand, ref, 0.1);
    const d = distance(ref, read);
    expect(d).toBeGreaterThan(50);
    expect(distance(ref, read, d - 1)).toBe(-1);
    expect(distance(ref, read, d)).toBe(d);
    const target = encodeBases(read).codes;
    const q = prepareQuery(encodeBases(ref).codes);
    for (const k of [d - 1, d, d + 1, 2 * d, 5000]) expect(boundedDistance(q, target, 0, target.length, k)).toBe(k >= d ? d : -1);
  });
});
