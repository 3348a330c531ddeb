import { describe, expect, it } from 'vitest';
import { DistinctCounter } from './distinct';

describe('DistinctCounter', () => {
  it('is exact under its limit', () => {
    const c = new DistinctCounter(100);
    for (const s of ['A', 'B', 'A', 'C', 'B']) c.add(s);
    expect(c.count).toBe(3);
    expect(c.isExact).toBe(true);
  });
  it('estimates within 3 % past its limit, with bounded memory', () => {
    const c = new DistinctCounter(1000);
    for (let i = 0; i < 200_000; i++) c.add(`UMI${i % 50_000}`);
    expect(c.isExact).toBe(false);
    expect(Math.abs(c.count - 50_000) / 50_000).toBeLessThan(0.03);
  });
});
