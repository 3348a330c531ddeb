import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomSeq, rng, writeBam, type SamRead } from '../../demo/data/smaReads';
import { readBam } from './bamReader';
import { BgzfWriter } from './bgzfWriter';

const root = mkdtempSync(join(tmpdir(), 'benchtop-bgzf-writer-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const source = join(root, 'source.bam');
const rand = rng(909);
const reads: SamRead[] = [];

beforeAll(() => {
  // Sizes from a few bases to past one block (a 100 kb read spans two), so blocks differ in how
  // long they take to compress and finish out of order on the threadpool.
  for (let i = 0; i < 400; i++) {
    const n = i === 7 ? 100_000 : 20 + Math.floor(rand() * (i % 3 === 0 ? 9000 : 1500));
    const seq = i % 5 === 0 ? 'A'.repeat(n) : randomSeq(rand, n);
    reads.push({ name: `r${i}`, seq, qual: Array.from({ length: n }, () => 2 + Math.floor(rand() * 40)) });
  }
  writeBam(source, reads);
});

/** Copies the source BAM record by record through a writer, as the ingest writes its tagged BAM. */
async function copy(out: string, inFlight: number): Promise<void> {
  const writer = new BgzfWriter(out, { inFlight });
  for await (const item of readBam(source)) {
    if (!writer.write(item.raw)) await writer.drained();
  }
  await writer.close();
}

describe('BGZF writer', () => {
  it('writes with parallel compression the same data as with sequential, a BAM samtools reads fully', async () => {
    const sequential = join(root, 'sequential.bam');
    const parallel = join(root, 'parallel.bam');
    await copy(sequential, 0);
    await copy(parallel, 3);
    const a = readFileSync(sequential);
    const b = readFileSync(parallel);
    expect(gunzipSync(b).equals(gunzipSync(a))).toBe(true);
    // The same zlib at the same level: the blocks, in the same order, are the same bytes too.
    expect(b.equals(a)).toBe(true);
    expect(b.subarray(-28).toString('hex')).toBe('1f8b08040000000000ff0600424302001b0003000000000000000000');
    execFileSync('samtools', ['quickcheck', '-u', parallel]);
    expect(execFileSync('samtools', ['view', '-c', parallel], { encoding: 'utf8' }).trim()).toBe(String(reads.length));
    const names = execFileSync('samtools', ['view', parallel], { encoding: 'utf8', maxBuffer: 1 << 28 })
      .trim()
      .split('\n')
      .map((l) => l.split('\t')[0]);
    expect(names).toEqual(reads.map((r) => r.name));
  });

  it('holds back the writer while as many blocks as allowed are compressing', async () => {
    const writer = new BgzfWriter(join(root, 'bounded.bam'), { inFlight: 2 });
    const block = Buffer.from(randomSeq(rand, 0xff00));
    expect(writer.write(block)).toBe(true);
    expect(writer.write(block)).toBe(false);
    await writer.drained();
    expect(writer.write(block.subarray(0, 10))).toBe(true);
    await writer.close();
    expect(gunzipSync(readFileSync(join(root, 'bounded.bam'))).length).toBe(2 * 0xff00 + 10);
  });
});
