import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StepResult } from '../../../shared/schemas/results';
import { generateQslamDataset } from '../../demo/data/qslam';
import { lengthStats, runReadlen } from './readlen';

const root = mkdtempSync(join(tmpdir(), 'benchtop-readlen-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const hist = (lengths: number[]) => {
  const m = new Map<number, number>();
  for (const l of lengths) m.set(l, (m.get(l) ?? 0) + 1);
  return m;
};

describe('lengthStats', () => {
  it('mean, median (odd and even), N50', () => {
    expect(lengthStats(hist([10, 20, 30]))).toEqual({ reads: 3, bases: 60, min: 10, max: 30, mean: 20, median: 20, n50: 30 });
    // bases 100: reads ≥ 30 hold 30+40 = 70 ≥ 50 → N50 30; ≥ 40 holds 40 < 50.
    expect(lengthStats(hist([10, 20, 30, 40]))).toMatchObject({ median: 25, n50: 30, mean: 25 });
    expect(lengthStats(hist([100, 100, 100, 1]))).toMatchObject({ median: 100, n50: 100 });
    expect(lengthStats(new Map())).toMatchObject({ reads: 0, mean: null, median: null, n50: null });
  });
});

describe('readlen on generated reads', () => {
  it('counts exactly the planted lengths', async () => {
    const data = generateQslamDataset({ dir: join(root, 'data'), seed: 11 });
    const stepDir = join(root, 'run', 'readlen');
    const out = await runReadlen({ r1: data.r1, r2: data.r2, stepDir }, () => undefined);
    const e1 = hist(data.pairs.map((p) => p.r1Length));
    const e2 = hist(data.pairs.map((p) => p.r2Length));
    expect(Object.fromEntries(out.r1)).toEqual(Object.fromEntries(e1));
    expect(Object.fromEntries(out.r2 ?? [])).toEqual(Object.fromEntries(e2));
    const tsv = readFileSync(join(stepDir, 'readlen.tsv'), 'utf8').trim().split('\n');
    expect(tsv[0]).toBe('length\tR1\tR2');
    const lengths = [...new Set([...e1.keys(), ...e2.keys()])].sort((a, b) => a - b);
    expect(tsv.slice(1)).toEqual(lengths.map((l) => `${l}\t${e1.get(l) ?? 0}\t${e2.get(l) ?? 0}`));
    const result = StepResult.parse(JSON.parse(readFileSync(join(stepDir, 'results.json'), 'utf8')));
    expect(result.plots[0]?.x).toEqual(lengths);
    expect(result.plots[0]?.series.map((s) => s.name)).toEqual(['R1', 'R2']);
    expect(result.tables[0]?.rows).toHaveLength(lengths.length);
    expect(result.tables[0]?.file).toBe('readlen/readlen.tsv');
    const mean1 = data.pairs.reduce((a, p) => a + p.r1Length, 0) / data.pairs.length;
    expect(result.metrics.find((m) => m.label === 'R1 mean length')?.value).toBe(Math.round(mean1 * 10) / 10);
    expect(result.metrics.find((m) => m.label === 'R2 reads')?.value).toBe(data.pairs.length);
  });
});
