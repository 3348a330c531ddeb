import { describe, expect, it } from 'vitest';
import { edlibDistances } from '../../../tests/nanopore/edlib';
import { mutate, randomSeq, revcomp, rng } from '../../demo/data/smaReads';
import { encodeBases } from './nucleotides';
import { strandDistance, strandedReference } from './strand';

describe('distance in the read\'s orientation', () => {
  it('is min(edlib to the reference, edlib to its reverse complement), + on a tie, for reads of every kind', () => {
    const rand = rng(314);
    const cases: { ref: string; read: string }[] = [];
    for (let i = 0; i < 240; i++) {
      const ref = randomSeq(rand, [40, 300, 1200, 2500][i % 4]!);
      const kind = i % 6;
      let read =
        kind === 0 ? randomSeq(rand, ref.length) // unrelated
          : kind === 1 ? ref.slice(0, ref.length >> 1) + revcomp(ref).slice(ref.length >> 1) // half and half
            : mutate(rand, ref, [0, 0.02, 0.08, 0.25][kind - 2]!);
      if (i % 2 === 1) read = revcomp(read);
      if (i % 10 === 3) read = read.slice(0, 20) + 'NNNN' + read.slice(24);
      cases.push({ ref, read });
    }
    cases.push({ ref: 'AACGTT', read: 'AACGTT' }); // a reference that is its own reverse complement: a tie, '+'
    const edlib = edlibDistances(cases.flatMap(({ ref, read }) => [[read, ref] as const, [read, revcomp(ref)] as const]));
    const got = cases.map(({ ref, read }) => {
      const codes = encodeBases(read).codes;
      const r = strandDistance(strandedReference(ref), codes, 0, codes.length);
      return { ed: r.ed, strand: r.reverse ? '-' : '+' };
    });
    const expected = cases.map((_, i) => {
      const fwd = edlib[2 * i]!;
      const rev = edlib[2 * i + 1]!;
      return { ed: Math.min(fwd, rev), strand: rev < fwd ? '-' : '+' };
    });
    expect(got).toEqual(expected);
    expect(got.at(-1)).toEqual({ ed: 0, strand: '+' });
  });
});
