import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireLock, checkFasta, prepareReference, sha256File } from './references';
import { requireTool } from './proc';

const root = mkdtempSync(join(tmpdir(), 'benchtop-ref-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const file = (name: string, content: string | Buffer) => {
  const p = join(root, name);
  writeFileSync(p, content);
  return p;
};

describe('checkFasta', () => {
  it('accepts plain and gzip FASTA, counting sequences and bases', async () => {
    expect(await checkFasta(file('a.fa', '>c1 x\nACGT\nAC\n\n>c2\nNNNN\n'), 'a.fa')).toEqual({ sequences: 2, bases: 10 });
    expect(await checkFasta(file('a.fa.gz', gzipSync('>c1\nACGT\n')), 'a.fa.gz')).toEqual({ sequences: 1, bases: 4 });
  });
  it('names the file and line of what is wrong', async () => {
    await expect(checkFasta(file('empty.fa', ''), 'empty.fa')).rejects.toThrow('empty.fa: the genome file is empty');
    await expect(checkFasta(file('noheader.fa', 'ACGT\n'), 'noheader.fa')).rejects.toThrow("noheader.fa line 1: not a FASTA file (the first line does not start with '>')");
    await expect(checkFasta(file('bad.fa', '>c1\nACGT\nAC GT!\n'), 'bad.fa')).rejects.toThrow('bad.fa line 3: not a FASTA sequence line');
    await expect(checkFasta(file('nobases.fa', '>c1\n>c2\nACGT\n'), 'nobases.fa')).rejects.toThrow('nobases.fa line 2: sequence "c1" has no bases');
    await expect(checkFasta(file('blank.fa', '\n\n'), 'blank.fa')).rejects.toThrow('blank.fa: no sequences');
  });
});

describe('the lock', () => {
  it('is exclusive, waits for a live holder and takes over a stale one', async () => {
    const lock = join(root, 'x.lock');
    const release = await acquireLock(lock, () => undefined);
    let second = false;
    const waiting = acquireLock(lock, () => undefined, 20).then((r) => {
      second = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(second).toBe(false);
    release();
    (await waiting)();
    expect(second).toBe(true);
    // A lock left by a process that is gone.
    writeFileSync(lock, JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname() }));
    const log: string[] = [];
    (await acquireLock(lock, (l) => log.push(l), 20))();
    expect(log.join('\n')).toMatch(/removing a stale lock/);
    expect(existsSync(lock)).toBe(false);
  });
});

describe('prepareReference', () => {
  const bwa = requireTool('bwa');
  const genome = file('g.fa', `>chrA\n${'ACGTTGCAAGGCTTAACCGG'.repeat(200)}\n>chrB\n${'TTGACCAGTGCATGCAAGTC'.repeat(150)}\n`);

  it('indexes once, caches by content hash, and rebuilds a half-built index', async () => {
    const refs = join(root, 'references');
    const first = await prepareReference({ genome, referencesDir: refs, aligner: 'bwa', alignerPath: bwa, log: () => undefined });
    const hash = (await sha256File(genome)).slice(0, 16);
    expect(first).toMatchObject({ cached: false, dir: join(refs, hash), prefix: join(refs, hash, 'bwa', 'genome') });
    for (const ext of ['amb', 'ann', 'bwt', 'pac', 'sa']) expect(existsSync(`${first.prefix}.${ext}`)).toBe(true);
    expect(existsSync(join(refs, hash, 'bwa', '.complete'))).toBe(true);
    expect(existsSync(join(refs, hash, '.lock'))).toBe(false);
    expect(JSON.parse(readFileSync(join(refs, hash, 'source.json'), 'utf8'))).toMatchObject({ path: genome });
    // Same content under another name (and gzipped): a different file hash for gz, the same for a copy.
    const copy = file('copy.fa', readFileSync(genome));
    expect(await prepareReference({ genome: copy, referencesDir: refs, aligner: 'bwa', alignerPath: bwa, log: () => undefined })).toMatchObject({ cached: true, dir: first.dir });
    // Half-built: no .complete → rebuilt.
    rmSync(join(refs, hash, 'bwa', '.complete'));
    rmSync(`${first.prefix}.sa`);
    const again = await prepareReference({ genome, referencesDir: refs, aligner: 'bwa', alignerPath: bwa, log: () => undefined });
    expect(again.cached).toBe(false);
    expect(existsSync(`${first.prefix}.sa`)).toBe(true);
  });

  it('two runs at once: one builds, the other waits and uses it', async () => {
    const refs = join(root, 'references-concurrent');
    mkdirSync(refs);
    const logs: string[][] = [[], []];
    const [a, b] = await Promise.all([0, 1].map((i) => prepareReference({ genome, referencesDir: refs, aligner: 'bwa', alignerPath: bwa, log: (l) => logs[i]?.push(l) })));
    expect([a?.cached, b?.cached].sort()).toEqual([false, true]);
  });

  it('a gzipped genome is decompressed into the cache', async () => {
    const gz = file('g2.fa.gz', gzipSync(`>chrZ\n${'ACGGTCAATTGCCAGT'.repeat(100)}\n`));
    const ref = await prepareReference({ genome: gz, referencesDir: join(root, 'refs-gz'), aligner: 'bwa', alignerPath: bwa, log: () => undefined });
    expect(readFileSync(join(ref.dir, 'genome.fa'), 'utf8').startsWith('>chrZ\nACGG')).toBe(true);
  });

  it('an empty or missing genome is refused naming it', async () => {
    const empty = file('empty-genome.fa', '');
    await expect(prepareReference({ genome: empty, referencesDir: join(root, 'r3'), aligner: 'bwa', alignerPath: bwa, log: () => undefined })).rejects.toThrow(`${empty}: the genome file is empty`);
    await expect(prepareReference({ genome: join(root, 'nope.fa'), referencesDir: join(root, 'r3'), aligner: 'bwa', alignerPath: bwa, log: () => undefined })).rejects.toThrow(/genome file not found: .*nope\.fa/);
  });
});
