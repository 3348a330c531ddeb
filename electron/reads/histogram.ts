import type { Histogram } from '../../shared/schemas/reads';

export interface Bin {
  b: number;
  n: number;
}

/**
 * Count series on integer bins, aligned on one x axis from the lowest to the highest bin of any
 * series (empty bins count 0); `edge(b)` is the lower edge of bin b.
 */
export function alignBins(series: readonly { name: string; bins: readonly Bin[] }[], edge: (b: number) => number, extra: Partial<Histogram> = {}): Histogram {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) for (const { b } of s.bins) [lo, hi] = [Math.min(lo, b), Math.max(hi, b)];
  if (lo > hi) return { x: [], series: series.map((s) => ({ name: s.name, y: [] })), ...extra };
  const x = Array.from({ length: hi - lo + 1 }, (_, i) => edge(lo + i));
  return {
    x,
    series: series.map((s) => {
      const y = new Array<number>(x.length).fill(0);
      for (const { b, n } of s.bins) y[b - lo] = n;
      return { name: s.name, y };
    }),
    ...extra,
  };
}

/** Rows of (key, bin, count) grouped into one series per key, in first-seen order. */
export function seriesByKey(rows: readonly { k: string; b: number; n: number }[]): { name: string; bins: Bin[] }[] {
  const byKey = new Map<string, Bin[]>();
  for (const r of rows) {
    const list = byKey.get(r.k) ?? [];
    list.push({ b: r.b, n: r.n });
    byKey.set(r.k, list);
  }
  return [...byKey].map(([name, bins]) => ({ name, bins }));
}
