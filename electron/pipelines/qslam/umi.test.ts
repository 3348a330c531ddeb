import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { StepResult } from '../../../shared/schemas/results';
import { generateQslamDataset } from '../../demo/data/qslam';
import { extractUmi, runUmi, tagHeader } from './umi';

const root = mkdtempSync(join(tmpdir(), 'benchtop-umi-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** FASTQ records read without the code under test. */
function records(path: string): { header: string; seq: string; qual: string }[] {
  const lines = gunzipSync(readFileSync(path)).toString().split('\n');
  const out = [];
  for (let i = 0; i + 3 < lines.length; i += 4) out.push({ header: (lines[i] as string).slice(1), seq: lines[i + 1] as string, qual: lines[i + 3] as string });
  return out;
}

describe('umi', () => {
  const data = generateQslamDataset({ dir: join(root, 'data'), seed: 7, umiLength: 8, shortR1Pairs: 4 });

  it('moves the first 8 bases of R1 into both names; exact counts', async () => {
    const stepDir = join(root, 'run', 'umi');
    const log: string[] = [];
    const summary = await runUmi({ r1: data.r1, r2: data.r2, stepDir, umiLength: 8, umiRead: 'r1', umiLocation: 'start' }, (l) => log.push(l));
    const kept = data.pairs.filter((p) => p.r1Length >= 8);
    expect(summary).toEqual({
      pairs: data.pairs.length,
      written: kept.length,
      tooShort: data.pairs.length - kept.length,
      distinctUmis: new Set(kept.map((p) => p.umi)).size,
      distinctExact: true,
    });
    expect(summary.tooShort).toBe(4);
    const in1 = records(data.r1).filter((r) => r.seq.length >= 8);
    const in2 = records(data.r2).filter((_, i) => (records(data.r1)[i] as { seq: string }).seq.length >= 8);
    const out1 = records(join(stepDir, 'R1.fastq.gz'));
    const out2 = records(join(stepDir, 'R2.fastq.gz'));
    expect(out1).toHaveLength(kept.length);
    out1.forEach((r, i) => {
      const src = in1[i] as { header: string; seq: string; qual: string };
      const umi = src.seq.slice(0, 8);
      const [name, ...rest] = src.header.split(' ');
      expect(r.header).toBe([`${name}_${umi}`, ...rest].join(' '));
      expect(r.seq).toBe(src.seq.slice(8));
      expect(r.qual).toBe(src.qual.slice(8));
      const mate = out2[i] as { header: string; seq: string };
      expect(mate.header.split(' ')[0]).toBe(`${name}_${umi}`);
      expect(mate.header.split(' ')[1]).toBe('2:N:0:ACGTACGT');
      expect(mate.seq).toBe((in2[i] as { seq: string }).seq);
    });
    const result = StepResult.parse(JSON.parse(readFileSync(join(stepDir, 'results.json'), 'utf8')));
    expect(result.step).toBe('umi');
    expect(result.metrics.find((m) => m.label === 'Read pairs processed')?.value).toBe(data.pairs.length);
    expect(result.metrics.find((m) => m.label === 'Distinct UMIs')?.value).toBe(summary.distinctUmis);
    expect(result.files.map((f) => f.path)).toEqual(['umi/R1.fastq.gz', 'umi/R2.fastq.gz']);
    expect(log.some((l) => /^##progress \d+ \d+ bytes$/.test(l))).toBe(true);
  });

  it('UMI at the end of R2', async () => {
    const stepDir = join(root, 'run2', 'umi');
    const summary = await runUmi({ r1: data.r1, r2: data.r2, stepDir, umiLength: 6, umiRead: 'r2', umiLocation: 'end' }, () => undefined);
    expect(summary.tooShort).toBe(0);
    const src2 = records(data.r2);
    const out2 = records(join(stepDir, 'R2.fastq.gz'));
    const out1 = records(join(stepDir, 'R1.fastq.gz'));
    const s = src2[0] as { header: string; seq: string };
    expect(out2[0]?.seq).toBe(s.seq.slice(0, -6));
    expect(out1[0]?.header.split(' ')[0]).toBe(`${s.header.split(' ')[0]}_${s.seq.slice(-6)}`);
    expect(out1[0]?.seq).toBe(records(data.r1)[0]?.seq);
  });

  it('refuses mates out of sync, naming the record', async () => {
    const bad = join(root, 'bad');
    const a = '@p1 1\nACGTACGTAC\n+\nIIIIIIIIII\n@p2 1\nACGTACGTAC\n+\nIIIIIIIIII\n';
    writeFileSync(join(root, 'x1.fastq.gz'), gzipSync(a));
    writeFileSync(join(root, 'x2.fastq.gz'), gzipSync(a.replace('@p2', '@q2')));
    await expect(runUmi({ r1: join(root, 'x1.fastq.gz'), r2: join(root, 'x2.fastq.gz'), stepDir: bad, umiLength: 4, umiRead: 'r1', umiLocation: 'start' }, () => undefined)).rejects.toThrow(
      'x2.fastq.gz record 2: read name "q2" does not match x1.fastq.gz\'s "p2" (mates out of sync)',
    );
    writeFileSync(join(root, 'y2.fastq.gz'), gzipSync(a.split('\n').slice(0, 4).join('\n')));
    await expect(runUmi({ r1: join(root, 'x1.fastq.gz'), r2: join(root, 'y2.fastq.gz'), stepDir: bad, umiLength: 4, umiRead: 'r1', umiLocation: 'start' }, () => undefined)).rejects.toThrow(
      /y2\.fastq\.gz has fewer records than x1\.fastq\.gz: it ends after record 1/,
    );
  });

  it('helpers', () => {
    expect(tagHeader('r1/1 1:N:0', 'ACGT')).toBe('r1_ACGT/1 1:N:0');
    expect(tagHeader('r1', 'ACGT')).toBe('r1_ACGT');
    expect(extractUmi({ header: 'h', seq: 'ACGTTT', qual: 'ABCDEF' }, 2, 'end')).toEqual({ umi: 'TT', read: { header: 'h', seq: 'ACGT', qual: 'ABCD' } });
    expect(extractUmi({ header: 'h', seq: 'ACG', qual: 'ABC' }, 4, 'start')).toBeNull();
  });
});
