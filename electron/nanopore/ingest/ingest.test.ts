import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edlibDistances } from '../../../tests/nanopore/edlib';
import { mutate, randomSeq, revcomp, rng, writeBam, writeFasta, type SamRead } from '../../demo/data/smaReads';
import { ingestBam, type IngestOptions } from './ingest';
import { qBc, qLd } from './metrics';

const root = mkdtempSync(join(tmpdir(), 'benchtop-sma-ingest-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const rand = rng(2026);
// Three targets in two FASTA files; windows (± 150) 150–450, 450–750 and 650–950: a 700 bp read is in
// both of the last two, and goes to the one first in FASTA order (tB).
const targets: [string, string][] = [
  ['tA', randomSeq(rand, 300)],
  ['tB', randomSeq(rand, 600)],
  ['tC', randomSeq(rand, 800)],
];
const fasta1 = join(root, 'a.fa');
const fasta2 = join(root, 'c.fa');
const bam = join(root, 'reads.bam');

interface Planted {
  read: SamRead;
  ref: string | null;
  reverse: boolean;
}
const planted: Planted[] = [];
const quals = (n: number) => Array.from({ length: n }, () => 5 + Math.floor(rand() * 35));

function plant(name: string, ref: string | null, seq: string, reverse: boolean, tags: string[] = []): void {
  planted.push({ read: { name, seq, qual: quals(seq.length), tags }, ref, reverse });
}

beforeAll(() => {
  writeFasta(fasta1, [targets[0]!, targets[1]!]);
  writeFasta(fasta2, [targets[2]!]);
  const [a, b, c] = targets.map((t) => t[1]);
  plant('exact_fwd', 'tA', a!, false, ['er:Z:signal_positive']);
  plant('exact_rev', 'tA', revcomp(a!), true, ['er:Z:signal_positive']);
  for (let i = 0; i < 12; i++) {
    const [name, seq] = targets[i % 3]!;
    const read = mutate(rand, seq, 0.03 + 0.01 * (i % 8));
    const reverse = i % 2 === 1;
    // A mutated 800 bp target can fall below 750: then it is assigned tB (first in order) and its ed is to tB.
    const len = read.length;
    const ref = len >= 150 && len <= 450 ? 'tA' : len >= 450 && len <= 750 ? 'tB' : len >= 650 && len <= 950 ? 'tC' : null;
    plant(`mut_${i}`, ref, reverse ? revcomp(read) : read, reverse, [`er:Z:${i % 3 === 0 ? 'unblock_mux_change' : 'signal_positive'}`]);
    void name;
  }
  plant('overlap_700', 'tB', mutate(rand, c!.slice(0, 700), 0.05).padEnd(700, 'A').slice(0, 700), false);
  plant('too_short', null, randomSeq(rand, 100), false, ['er:Z:signal_negative']);
  plant('too_long', null, randomSeq(rand, 1200), false);
  plant('empty', null, '', false);
  const records = planted.map((p) => p.read);
  records.push({ name: 'exact_fwd', seq: a!.slice(0, 50), qual: quals(50), flag: 4 | 0x100 });
  records.push({ name: 'mut_0', seq: a!.slice(0, 60), qual: quals(60), flag: 4 | 0x800 });
  writeBam(bam, records);
  void b;
});

function options(over: Partial<IngestOptions> = {}): IngestOptions {
  return { bam, refs: [fasta1, fasta2], tolerance: 150, readsDb: join(root, 'SMA_exp1.db'), runId: 'run_hac', threads: 0, workerScript: null, ...over };
}

interface ReadRow {
  read_id: string;
  run_id: string;
  readseq: string;
  readlen: number;
  q_bc: number;
  ed: number | null;
  q_ld: number | null;
  ref_id: string | null;
  end_reason: string;
  strand: string | null;
}

function rows(file: string, runId = 'run_hac'): ReadRow[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT * FROM reads WHERE run_id = ? ORDER BY rowid').all(runId) as ReadRow[];
  } finally {
    db.close();
  }
}

const silent = () => {};

describe('SMA ingest of a samtools-written BAM', () => {
  it('stores every primary read with the values edlib gives on the same pairs', async () => {
    const outcome = await ingestBam(options(), silent);
    const got = rows(options().readsDb);
    expect(got.map((r) => r.read_id)).toEqual(planted.map((p) => p.read.name));

    const refSeq = new Map(targets);
    const assigned = planted.filter((p) => p.ref !== null);
    const pairs = assigned.flatMap((p) => [
      [p.read.seq, refSeq.get(p.ref!)!] as const,
      [p.read.seq, revcomp(refSeq.get(p.ref!)!)] as const,
    ]);
    const edlib = edlibDistances(pairs);
    assigned.forEach((p, i) => {
      const fwd = edlib[2 * i]!;
      const rev = edlib[2 * i + 1]!;
      const row = got.find((r) => r.read_id === p.read.name)!;
      const L = refSeq.get(p.ref!)!.length;
      expect({ id: row.read_id, ref: row.ref_id, ed: row.ed, strand: row.strand }).toEqual({
        id: p.read.name,
        ref: p.ref,
        ed: Math.min(fwd, rev),
        strand: rev < fwd ? '-' : '+',
      });
      // A read planted from its own reference is found in the orientation it was planted in.
      if (row.ed! < 0.3 * L) expect(row.strand).toBe(p.reverse ? '-' : '+');
      expect(row.q_ld).toBeCloseTo(qLd(Math.min(fwd, rev), L), 10);
    });

    for (const p of planted) {
      const row = got.find((r) => r.read_id === p.read.name)!;
      expect(row.readseq).toBe(p.read.seq);
      expect(row.readlen).toBe(p.read.seq.length);
      expect(row.q_bc).toBeCloseTo(qBc(Uint8Array.from(p.read.qual ?? [])), 12);
      if (p.ref === null) expect([row.ref_id, row.ed, row.q_ld, row.strand]).toEqual([null, null, null, null]);
    }
    const byId = new Map(got.map((r) => [r.read_id, r]));
    expect(byId.get('exact_fwd')).toMatchObject({ ed: 0, strand: '+', end_reason: 'signal_positive' });
    expect(byId.get('exact_rev')).toMatchObject({ ed: 0, strand: '-' });
    expect(byId.get('exact_rev')!.q_ld).toBeCloseTo(20 * Math.log10(300), 10);
    expect(byId.get('empty')).toMatchObject({ readlen: 0, q_bc: 0, ref_id: null, end_reason: 'unknown' });
    expect(byId.get('too_short')!.end_reason).toBe('signal_negative');

    expect(outcome).toMatchObject({
      run_id: 'run_hac',
      total_reads: planted.length,
      matched_reads: assigned.length,
      skippedRecords: 2,
      er_signal_neg: 1,
      er_unblock: 4,
    });
    expect(outcome.er_signal_pos + outcome.er_signal_neg + outcome.er_unblock + outcome.er_other).toBe(planted.length);
    const eds = got.flatMap((r) => (r.ed === null ? [] : [r.ed])).sort((x, y) => x - y);
    expect(outcome.mean_ed).toBeCloseTo(eds.reduce((s, x) => s + x, 0) / eds.length, 10);
    const mid = Math.floor(eds.length / 2);
    expect(outcome.median_ed).toBe(eds.length % 2 ? eds[mid] : (eds[mid - 1]! + eds[mid]!) / 2);
    const db = new Database(options().readsDb, { readonly: true });
    expect(db.prepare('SELECT total_reads, matched_reads FROM run_summaries WHERE run_id = ?').get('run_hac')).toEqual({ total_reads: planted.length, matched_reads: assigned.length });
    db.close();
  });

  it('a second ingest of the same basecall run replaces its rows; other runs keep theirs', async () => {
    const file = join(root, 'SMA_replace.db');
    await ingestBam(options({ readsDb: file, runId: 'run_sup' }), silent);
    await ingestBam(options({ readsDb: file }), silent);
    await ingestBam(options({ readsDb: file, tolerance: 0 }), silent);
    expect(rows(file, 'run_sup').filter((r) => r.ref_id !== null).length).toBeGreaterThan(2);
    const lengths = new Map(targets.map(([name, seq]) => [name, seq.length]));
    expect(rows(file).every((r) => r.ref_id === null || r.readlen === lengths.get(r.ref_id))).toBe(true);
    expect(rows(file).filter((r) => r.ref_id !== null).length).toBeGreaterThanOrEqual(2);
    expect(rows(file).length).toBe(planted.length);
  });

  it('takes end reasons from a summary TSV before the er tag', async () => {
    const summary = join(root, 'summary.tsv');
    writeFileSync(summary, 'filename\tread_id\trun_id\tend_reason\nx.pod5\texact_fwd\tr\tmux_change\nx.pod5\tempty\tr\tsignal_positive\n');
    await ingestBam(options({ readsDb: join(root, 'SMA_summary.db'), summary }), silent);
    const byId = new Map(rows(join(root, 'SMA_summary.db')).map((r) => [r.read_id, r.end_reason]));
    expect(byId.get('exact_fwd')).toBe('mux_change');
    expect(byId.get('empty')).toBe('signal_positive');
    expect(byId.get('too_short')).toBe('signal_negative');
    expect(byId.get('too_long')).toBe('unknown');
  });

  it('writes a tagged BAM samtools reads, with ER:Z on every record', async () => {
    const out = join(root, 'tagged.bam');
    // What a killed ingest left (its writer is gone), and what a running one is writing (this process).
    const dead = spawnSync('true').pid as number;
    writeFileSync(`${out}.part-${dead}`, 'half a BAM');
    writeFileSync(`${out}.part-${process.pid}x`, 'not a partial of ours');
    await ingestBam(options({ readsDb: join(root, 'SMA_tagged.db'), taggedBam: out }), silent);
    const sam = execFileSync('samtools', ['view', out], { encoding: 'utf8' }).trim().split('\n');
    expect(sam.length).toBe(planted.length + 2);
    expect(sam.every((line) => /\tER:Z:\w+$/.test(line))).toBe(true);
    expect(sam.find((l) => l.startsWith('too_short\t'))).toMatch(/\ter:Z:signal_negative\tER:Z:signal_negative$/);
    expect(sam.find((l) => l.startsWith('empty\t'))).toMatch(/\tER:Z:unknown$/);
    execFileSync('samtools', ['quickcheck', '-u', out]);
    expect(execFileSync('samtools', ['view', '-c', out], { encoding: 'utf8' }).trim()).toBe(String(planted.length + 2));
    expect(existsSync(`${out}.part-${dead}`)).toBe(false);
    expect(existsSync(`${out}.part-${process.pid}x`)).toBe(true);
  });
});

describe('bad input: a clear error, and the database as it was', () => {
  const file = join(root, 'SMA_bad.db');
  beforeAll(async () => {
    await ingestBam(options({ readsDb: file }), silent);
  });

  async function refused(over: Partial<IngestOptions>, message: RegExp): Promise<void> {
    const before = rows(file);
    const tagged = join(root, 'bad_tagged.bam');
    await expect(ingestBam(options({ readsDb: file, taggedBam: tagged, ...over }), silent)).rejects.toThrow(message);
    expect(rows(file)).toEqual(before);
    expect(existsSync(tagged)).toBe(false);
  }

  it('duplicate read ids in the summary name the file and line', async () => {
    const summary = join(root, 'dup.tsv');
    writeFileSync(summary, 'read_id\tend_reason\nr1\tsignal_positive\nr2\tsignal_positive\nr1\tunblock_mux_change\n');
    await refused({ summary }, /dup\.tsv: line 4: read r1 .*duplicate read id/);
  });

  it('a summary line over the table limit names the file and line', async () => {
    const summary = join(root, 'longline.tsv');
    writeFileSync(summary, `read_id\tend_reason\nr1\t${'x'.repeat((1 << 20) + 1)}\n`);
    await refused({ summary }, /longline\.tsv: line 2: line longer than 1 MiB/);
  });

  it('a summary without the columns', async () => {
    const summary = join(root, 'nocol.tsv');
    writeFileSync(summary, 'read_id\treason\nr1\tx\n');
    await refused({ summary }, /nocol\.tsv: line 1: .*read_id and end_reason/);
  });

  it('a BAM without qualities names the file and read', async () => {
    const noQual = join(root, 'noqual.bam');
    writeBam(noQual, [planted[0]!.read, { name: 'bare', seq: 'ACGTACGT' }]);
    await refused({ bam: noQual }, /noqual\.bam: read bare has no base qualities/);
  });

  it('a FASTA with a letter other than ACGTN names file, record and position', async () => {
    const bad = join(root, 'bad.fa');
    writeFileSync(bad, '>ok\nACGTN\n>weird desc\nACGT\nACXT\n');
    await refused({ refs: [fasta1, bad] }, /bad\.fa: record weird: letter "X" at position 7/);
  });

  it('a file that is not a BAM', async () => {
    const text = join(root, 'text.bam');
    writeFileSync(text, 'hello');
    await refused({ bam: text }, /text\.bam: not a readable BGZF\/BAM file/);
  });

  it('another ingest writing the same SMA DB', async () => {
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    try {
      await expect(ingestBam(options({ readsDb: file }), silent)).rejects.toThrow(/SMA_bad\.db is being written by another ingest/);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
  });

  it('a read id twice as a primary record', async () => {
    const dup = join(root, 'dupreads.bam');
    writeBam(dup, [planted[0]!.read, planted[0]!.read]);
    await refused({ bam: dup }, /dupreads\.bam: read exact_fwd appears twice as a primary record/);
  });
});
