import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { FastqReader, InputError, LINE_LIMITS, TextWriter, firstLongLine, lineBatches, readName } from './fastq';

const dir = mkdtempSync(join(tmpdir(), 'benchtop-fastq-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readAll(path: string) {
  const r = new FastqReader(path);
  const out = [];
  try {
    for (let rec = await r.next(); rec; rec = await r.next()) out.push(rec);
  } finally {
    r.close();
  }
  return out;
}

const records = (n: number) => Array.from({ length: n }, (_, i) => `@read${i} 1:N:0:1\n${'ACGT'.repeat(10)}\n+\n${'I'.repeat(40)}\n`).join('');

describe('FastqReader', () => {
  it('reads plain and gzip (detected by content, not name), CRLF and a missing final newline', async () => {
    writeFileSync(join(dir, 'a.fastq'), records(3));
    writeFileSync(join(dir, 'b.fq'), gzipSync(records(5000)));
    writeFileSync(join(dir, 'c.fastq'), '@x\r\nAC\r\n+\r\nII\r\n\n@y\nGT\n+y\nJJ');
    expect(await readAll(join(dir, 'a.fastq'))).toHaveLength(3);
    const b = await readAll(join(dir, 'b.fq'));
    expect(b).toHaveLength(5000);
    expect(b[4999]).toEqual({ header: 'read4999 1:N:0:1', seq: 'ACGT'.repeat(10), qual: 'I'.repeat(40) });
    expect(await readAll(join(dir, 'c.fastq'))).toEqual([
      { header: 'x', seq: 'AC', qual: 'II' },
      { header: 'y', seq: 'GT', qual: 'JJ' },
    ]);
  });

  it('names the file and record on bad input', async () => {
    writeFileSync(join(dir, 'R1.fastq'), `${records(2)}@bad\nACGT\n+\nIII\n`);
    await expect(readAll(join(dir, 'R1.fastq'))).rejects.toThrow('R1.fastq record 3: sequence and quality lengths differ (4 and 3)');
    writeFileSync(join(dir, 'trunc.fastq'), `${records(2)}@cut\nACGT\n`);
    await expect(readAll(join(dir, 'trunc.fastq'))).rejects.toThrow(/trunc\.fastq record 3: the file is truncated/);
    writeFileSync(join(dir, 'noat.fastq'), 'read\nAC\n+\nII\n');
    await expect(readAll(join(dir, 'noat.fastq'))).rejects.toThrow(/noat\.fastq record 1: the header line does not start with '@'/);
    writeFileSync(join(dir, 'noplus.fastq'), '@r\nAC\n-\nII\n');
    await expect(readAll(join(dir, 'noplus.fastq'))).rejects.toThrow(/record 1: the third line does not start with '\+'/);
    const gz = gzipSync(records(20000));
    writeFileSync(join(dir, 'R2.fastq.gz'), gz.subarray(0, Math.floor(gz.length / 2)));
    const err = await readAll(join(dir, 'R2.fastq.gz')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(String(err)).toMatch(/R2\.fastq\.gz record \d+: (the gzip data is truncated|the file is truncated)/);
  });

  it('a line over the FASTQ limit (64 MiB) stops the read, naming the record, gzip or not', async () => {
    const long = `@long\n${'A'.repeat(LINE_LIMITS.fastq + 1)}\n+\n`;
    writeFileSync(join(dir, 'long.fastq'), `${records(3)}${long}`);
    await expect(readAll(join(dir, 'long.fastq'))).rejects.toThrow('long.fastq: record 4: line longer than 64 MiB');
    writeFileSync(join(dir, 'long.fastq.gz'), gzipSync(long));
    await expect(readAll(join(dir, 'long.fastq.gz'))).rejects.toThrow('long.fastq.gz: record 1: line longer than 64 MiB');
  });

  it('readName drops the comment and a /1 /2 suffix', () => {
    expect(readName('abc/1 1:N:0')).toBe('abc');
    expect(readName('abc\tx')).toBe('abc');
    expect(readName('abc')).toBe('abc');
  });
});

describe('lineBatches', () => {
  const collect = async (chunks: string[], maxLine: number) => {
    const out: string[] = [];
    for await (const batch of lineBatches(Readable.from(chunks.map((c) => Buffer.from(c))), maxLine, 'input.tsv')) out.push(...batch);
    return out;
  };

  it('joins lines across chunks and strips \\r', async () => {
    expect(await collect(['a\tb\r\nc', 'd', 'e\nf'], 10)).toEqual(['a\tb', 'cde', 'f']);
  });

  it('refuses a line over the limit with its line number, whether it ends in a chunk or runs across many', async () => {
    await expect(collect(['ok\n', 'x'.repeat(11), '\n'], 10)).rejects.toThrow('input.tsv: line 2: line longer than 10 bytes');
    await expect(collect(['ok\nfine\n', `${'x'.repeat(11)}\nlast\n`], 10)).rejects.toThrow('input.tsv: line 3: line longer than 10 bytes');
    await expect(collect(['ok\n', ...Array.from({ length: 5 }, () => 'xxx')], 10)).rejects.toThrow('input.tsv: line 2: line longer than 10 bytes');
    expect(await collect(['x'.repeat(10), '\n'], 10)).toEqual(['x'.repeat(10)]);
  });

  it('firstLongLine finds the first line over the limit in a whole file', () => {
    expect(firstLongLine(Buffer.from('ab\nabcdef\nabc'), 5)).toBe(2);
    expect(firstLongLine(Buffer.from('ab\nabcde\nabcdef'), 5)).toBe(3);
    expect(firstLongLine(Buffer.from('ab\nabcde\n'), 5)).toBe(0);
  });
});

describe('TextWriter', () => {
  it('writes gzip with backpressure and closes cleanly', async () => {
    const w = new TextWriter(join(dir, 'out.txt.gz'));
    for (let i = 0; i < 100000; i++) await w.write(`line ${i}\n`);
    await w.close();
    const text = gunzipSync(readFileSync(join(dir, 'out.txt.gz'))).toString();
    expect(text.split('\n')).toHaveLength(100001);
    expect(text.endsWith('line 99999\n')).toBe(true);
  });
});
