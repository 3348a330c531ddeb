import { describe, expect, it } from 'vitest';
import { mapAnnotations } from './annotations';

describe('construct map annotations', () => {
  it('draws a join() feature as its segments, numbered, in one colour; a plain feature as itself', () => {
    const drawn = mapAnnotations({
      features: [
        { name: 'whole', type: 'source', start: 0, end: 99 },
        { name: 'fwd', type: 'primer_bind', start: 0, end: 19, strand: 1 },
        { name: 'exons', type: 'CDS', start: 40, end: 54, strand: -1, segments: [{ start: 40, end: 44 }, { start: 49, end: 54 }] },
      ],
    });
    expect(drawn.map(({ name, start, end, direction }) => [name, start, end, direction])).toEqual([
      ['fwd', 0, 20, 1],
      ['exons (1/2)', 40, 45, -1],
      ['exons (2/2)', 49, 55, -1],
    ]);
    expect(drawn[1]!.color).toBe(drawn[2]!.color);
    expect(drawn[0]!.color).not.toBe(drawn[1]!.color);
  });
});
