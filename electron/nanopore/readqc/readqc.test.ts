import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { writeNanoporeFastq } from '../../../tests/fixtures/nanopore/reads';
import { readQcFile } from './readFile';
import { logLengthHistogram } from './stats';

const root = mkdtempSync(join(tmpdir(), 'benchtop-readqc-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
function file(text: string | Buffer, name = `f${++n}.fastq`): string {
  const path = join(root, name);
  writeFileSync(path, text);
  return path;
}

/** FASTQ text of (name, quality string) pairs; the bases are all A. */
function fastq(reads: Array<[string, string]>): string {
  return reads.map(([name, q]) => `@${name} extra\n${'A'.repeat(q.length)}\n+\n${q}\n`).join('');
}

const qChar = (q: number) => String.fromCharCode(33 + q);
const metricsOf = async (text: string) => (await readQcFile(file(text))).metrics;

describe('read QC metrics on hand-computed inputs', () => {
  it('N50 (odd base total, tie at half) and median (odd and even)', async () => {
    // 3+2+2 = 7: reads ≥ 3 hold 3 < 3.5 → N50 2 (seqkit agrees); median 2.
    expect(await metricsOf(fastq([['a', 'III'], ['b', 'II'], ['c', 'II']]))).toMatchObject({ reads: 3, bases: 7, n50: 2, medianLength: 2, minLength: 2, maxLength: 3 });
    // 4+2+2 = 8: reads ≥ 4 hold exactly half → N50 4.
    expect(await metricsOf(fastq([['a', 'IIII'], ['b', 'II'], ['c', 'II']]))).toMatchObject({ n50: 4, medianLength: 2 });
    const even = await metricsOf(fastq([['a', 'I'], ['b', 'II'], ['c', 'III'], ['d', 'I'.repeat(10)]]));
    expect(even).toMatchObject({ reads: 4, bases: 16, medianLength: 2.5, meanLength: 4, n50: 10 });
  });

  it('mean Q averages error probabilities over all bases, not Q values', async () => {
    // Q40 ×2 and Q10 ×2: (2·1e-4 + 2·0.1) / 4 — about Q13.0, where the mean of the Q values would be 25.
    const m = await metricsOf(fastq([['hi', 'II'], ['lo', '++']]));
    expect(m.meanQ).toBeCloseTo(-10 * Math.log10((2e-4 + 0.2) / 4), 10);
    expect(m.meanQ).toBeCloseTo(13.0059, 3);
    expect(m.readsAtLeastQ).toEqual([
      { q: 10, reads: 2, fraction: 1 },
      { q: 15, reads: 1, fraction: 0.5 },
      { q: 20, reads: 1, fraction: 0.5 },
    ]);
    // Per-read mean Q uses the same averaging: Q20 + Q40 → ≈ Q22.6, not 30.
    const mixed = await metricsOf(fastq([['m', qChar(20) + qChar(40)]]));
    expect(mixed.meanQ).toBeCloseTo(-10 * Math.log10((0.01 + 1e-4) / 2), 10);
    expect(mixed.qHistogram.at(-1)).toEqual({ from: 22.5, to: 23, reads: 1 });
  });

  it('a read exactly at a threshold counts as reaching it; just below does not', async () => {
    const at = [10, 15, 20].map((q, i) => [`at${i}`, qChar(q).repeat(3)] as [string, string]);
    const m = await metricsOf(fastq([...at, ['below', qChar(9) + qChar(10).repeat(50)]]));
    expect(m.readsAtLeastQ.map((t) => t.reads)).toEqual([3, 2, 1]);
  });

  it('an empty read counts as a read with no bases and Q 0', async () => {
    const m = await metricsOf(`@empty\n\n+\n\n${fastq([['a', 'IIII']])}`);
    expect(m).toMatchObject({ reads: 2, bases: 4, emptyReads: 1, minLength: 0, medianLength: 2, n50: 4, meanQ: 40 });
    expect(m.readsAtLeastQ[0]).toEqual({ q: 10, reads: 1, fraction: 0.5 });
    expect(m.lengthHistogram).toEqual([{ from: 4, to: 5, reads: 1, bases: 4 }]);
    const none = await metricsOf('');
    expect(none).toMatchObject({ reads: 0, bases: 0, n50: null, meanQ: null, medianLength: null, lengthHistogram: [], qHistogram: [] });
  });

  it('tolerates CRLF line ends, blank lines and a missing final newline', async () => {
    const m = await metricsOf('@a\r\nACG\r\n+\r\nIII\r\n\r\n@b\nAC\n+\nII');
    expect(m).toMatchObject({ reads: 2, bases: 5, meanQ: 40 });
  });

  it('log-binned length histogram: 10 bins per decade, whole-number bounds', () => {
    const bins = logLengthHistogram(new Map([[1, 1], [9, 2], [10, 1], [12, 1], [1000, 3], [1258, 1], [1259, 1]]));
    expect(bins.slice(0, 3)).toEqual([{ from: 1, to: 1, reads: 1, bases: 1 }, { from: 2, to: 2, reads: 0, bases: 0 }, { from: 3, to: 3, reads: 0, bases: 0 }]);
    expect(bins.find((b) => b.from <= 9 && b.to >= 9)).toEqual({ from: 8, to: 9, reads: 2, bases: 18 });
    expect(bins.find((b) => b.from === 10)).toEqual({ from: 10, to: 12, reads: 2, bases: 22 });
    expect(bins.find((b) => b.from === 1000)).toEqual({ from: 1000, to: 1258, reads: 4, bases: 4258 });
    expect(bins.at(-1)).toEqual({ from: 1259, to: 1584, reads: 1, bases: 1259 });
    // Contiguous: each bin starts right after the previous one.
    for (let i = 1; i < bins.length; i++) expect(bins[i]!.from).toBe(bins[i - 1]!.to + 1);
  });
});

describe('read QC formats', () => {
  const reads: Array<[string, string]> = [['r1', 'II+5?'], ['r2', '+'.repeat(12)], ['r3', '5'.repeat(7)], ['r4', 'ABCDEFGHIJ']];
  const text = fastq(reads);

  it('gzip (one member or several) gives exactly the plain figures', async () => {
    const plain = await readQcFile(file(text));
    const gz = await readQcFile(file(gzipSync(text), 'r.fq.gz'));
    const half = text.indexOf('@r3');
    const multi = await readQcFile(file(Buffer.concat([gzipSync(text.slice(0, half)), gzipSync(text.slice(half))]), 'multi.fastq.gz'));
    expect(gz).toMatchObject({ format: 'fastq', gzip: true });
    expect(gz.metrics).toEqual(plain.metrics);
    expect(multi.metrics).toEqual(plain.metrics);
  });

  it('a BAM written by samtools from SAM text: same figures as the FASTQ, secondary and supplementary skipped', async () => {
    const sam = [
      '@HD\tVN:1.6\tSO:unknown',
      '@SQ\tSN:ref\tLN:100',
      ...reads.map(([name, q]) => `${name}\t4\t*\t0\t0\t*\t*\t0\t0\t${'A'.repeat(q.length)}\t${q}\tRG:Z:x`),
      `r1\t256\tref\t1\t0\t5M\t*\t0\t0\t*\t*`,
      `r2\t2048\tref\t1\t0\t12M\t*\t0\t0\t${'C'.repeat(12)}\t${'!'.repeat(12)}`,
    ].join('\n');
    const samPath = file(`${sam}\n`, 'r.sam');
    const bam = join(root, 'r.bam');
    execFileSync('samtools', ['view', '-b', '-o', bam, samPath]);
    const fromBam = await readQcFile(bam);
    expect(fromBam.format).toBe('bam');
    expect(fromBam.metrics).toEqual((await readQcFile(file(text))).metrics);
  });

  it('agrees with seqkit stats -a on reads, bases, N50, min, max, mean and median length (plain and gzip)', async () => {
    const path = join(root, 'gen.fastq');
    const gen = writeNanoporeFastq({ path, seed: 7, reads: 3000 });
    const [header, row] = execFileSync('seqkit', ['stats', '-a', '-T', path], { encoding: 'utf8' }).trim().split('\n').map((l) => l.split('\t'));
    const seqkit = Object.fromEntries(header!.map((h, i) => [h, row![i]]));
    const m = (await readQcFile(path)).metrics;
    expect(m.reads).toBe(gen.reads);
    expect(m.bases).toBe(gen.bases);
    expect(m.reads).toBe(Number(seqkit.num_seqs));
    expect(m.bases).toBe(Number(seqkit.sum_len));
    expect(m.n50).toBe(Number(seqkit.N50));
    expect(m.minLength).toBe(Number(seqkit.min_len));
    expect(m.maxLength).toBe(Number(seqkit.max_len));
    expect(m.meanLength!.toFixed(1)).toBe(Number(seqkit.avg_len).toFixed(1));
    expect(m.medianLength).toBe(Number(seqkit.Q2));
    const gz = join(root, 'gen.fastq.gz');
    writeFileSync(gz, gzipSync(readFileSync(path), { level: 1 }));
    expect((await readQcFile(gz)).metrics).toEqual(m);
  });
});

describe('bad input: one clear error naming the file and the record', () => {
  const err = async (text: string | Buffer, name?: string) => {
    const path = file(text, name);
    const e = await readQcFile(path).then(
      () => null,
      (x: Error) => x,
    );
    expect(e, 'should fail').not.toBeNull();
    expect(e!.name).toBe('InputError');
    expect(e!.message.startsWith(path)).toBe(true);
    return e!.message.slice(path.length);
  };

  it('truncated record, length mismatch, bad header, bad quality character', async () => {
    const good = fastq([['a', 'IIII'], ['b', 'III']]);
    expect(await err(`${good}@c third\nACGT\n+\n`)).toBe(' record 3 (c): the file is truncated (quality line of 0 for a sequence of 4)');
    expect(await err(`${good}@c third\nACGT\n`)).toBe(' record 3 (c): the file is truncated (it ends inside the record)');
    expect(await err(`${good}@bad\nACGT\n+\nIII\n${good}`)).toBe(' record 3 (bad): sequence and quality lengths differ (4 and 3)');
    expect(await err(`${good}read\nACGT\n+\nIIII\n`)).toMatch(/^ record 3: the header line does not start with '@'/);
    expect(await err(`${good}@q\nAC\n-\nII\n`)).toMatch(/^ record 3 \(q\): the third line does not start with '\+'/);
    expect(await err(`@q\nAC\n+\nI\x7f\n`)).toBe(' record 1 (q): the quality line has a character outside ! to ~');
  });

  it('not FASTQ or BAM, FASTA, truncated gzip', async () => {
    expect(await err('hello world\n', 'x.txt')).toMatch(/^: not a FASTQ or BAM file \(it starts with "hello world/);
    expect(await err('>chr1\nACGT\n', 'x.fa')).toMatch(/^: this is a FASTA file/);
    const gz = gzipSync(fastq([['a', 'I'.repeat(5000)]]));
    expect(await err(gz.subarray(0, gz.length - 20), 'cut.fastq.gz')).toMatch(/^: the gzip data is truncated or corrupt/);
  });

  it('a BAM without qualities and a truncated BAM', async () => {
    const sam = file('@SQ\tSN:ref\tLN:10\nok\t4\t*\t0\t0\t*\t*\t0\t0\tACGT\tIIII\nnoq\t4\t*\t0\t0\t*\t*\t0\t0\tACGT\t*\n', 'noq.sam');
    const bam = join(root, 'noq.bam');
    execFileSync('samtools', ['view', '-b', '-o', bam, sam]);
    expect(await err(readFileSync(bam), 'noq2.bam')).toBe(' record 2 (noq): the read has no base qualities');
    // The BAM's records cut inside the second one, then compressed again (a whole gzip stream).
    const raw = gunzipSync(readFileSync(bam));
    expect(await err(gzipSync(raw.subarray(0, raw.length - 10)), 'cut.bam')).toBe(': the BAM file is truncated (it ends inside record 2)');
    // A corrupt block size in the first record (after magic, text and the one reference "ref").
    const first = 8 + raw.readInt32LE(4) + 4 + 4 + 4 + 4;
    const corrupt = Buffer.from(raw);
    corrupt.writeInt32LE(5, first);
    expect(await err(gzipSync(corrupt), 'corrupt.bam')).toBe(' record 1: corrupt BAM record (block size 5)');
    // A BGZF BAM cut inside its last data block: named with that block's byte offset.
    const bgzf = readFileSync(bam);
    const blocks: number[] = [];
    for (let p = 0; p < bgzf.length; p += bgzf.readUInt16LE(p + 16) + 1) blocks.push(p);
    // The last block is the empty end-of-file block; the one before holds the records.
    const cutAt = blocks.at(-2)!;
    expect(await err(bgzf.subarray(0, cutAt + 30), 'cutblock.bam')).toBe(`: truncated BGZF block at byte ${cutAt} (the file ends 30 bytes into it)`);
  });

  it('a missing file', async () => {
    await expect(readQcFile(join(root, 'nope.fastq'))).rejects.toThrow(`${join(root, 'nope.fastq')}: file not found`);
  });
});

describe('a large record spanning many chunks', () => {
  it('reads a 10 Mb read whole', async () => {
    const path = join(root, 'long.fastq');
    writeFileSync(path, fastq([['short', 'II']]));
    appendFileSync(path, `@long\n${'A'.repeat(10_000_000)}\n+\n${'+'.repeat(10_000_000)}\n`);
    const m = (await readQcFile(path)).metrics;
    expect(m).toMatchObject({ reads: 2, bases: 10_000_002, maxLength: 10_000_000, n50: 10_000_000 });
    expect(m.readsAtLeastQ[0]!.reads).toBe(2);
  });
});
