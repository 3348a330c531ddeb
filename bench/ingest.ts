/**
 * SMA-seq ingest throughput: Benchtop's `benchtop ingest` next to the seed's Python stack
 * (bench/sma_ingest_seed.py: pysam + edlib + sqlite3 from Debian, single-threaded), on the same
 * generated files: 200k reads of 1–5 kb from 3 targets with 5–10 % errors, half of them reverse-
 * complemented, 5 % random reads, with qualities, and a sequencing summary. Both sides write the
 * tagged BAM (ER:Z:<end_reason> on every record), as the seed always does. Target: ≥ 3× the seed's
 * reads/s, with identical ref_id, ed, strand and q_ld on every read, q_bc equal to the last bits
 * of the float arithmetic, and tagged BAMs that samtools reads to the same number of records.
 *
 * BENCH_SCALE=0.05 shrinks the read count; BENCH_RUNS=3 runs each side three times, alternately,
 * and reports the medians; BENCH_MEMORY=1 also ingests 1M reads and reports the peak memory
 * (target < 512 MB). The generated files are kept in the temp folder and reused.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { BgzfWriter } from '../electron/nanopore/ingest/bgzfWriter';
import { prng as rng } from '../electron/demo/data/random';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const RUNS = Math.max(1, Math.round(Number(process.env.BENCH_RUNS ?? 1)));
const READS = Math.max(100, Math.round(200_000 * SCALE));
const MEMORY_READS = 1_000_000;
const CLI = fileURLToPath(new URL('../../bin/benchtop.js', import.meta.url));
const SEED_SCRIPT = fileURLToPath(new URL('../../bench/sma_ingest_seed.py', import.meta.url));
const TARGET_LENGTHS = [1200, 2800, 4600];
const END_REASONS = ['signal_positive', 'signal_positive', 'signal_positive', 'signal_positive', 'unblock_mux_change', 'signal_negative', 'mux_change'];

const ACGT = Buffer.from('ACGT');
const NIBBLE: Record<number, number> = { 65: 1, 67: 2, 71: 4, 84: 8 };
const COMP: Record<number, number> = { 65: 84, 67: 71, 71: 67, 84: 65 };

function randomBases(rand: () => number, n: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = ACGT[(rand() * 4) | 0]!;
  return b;
}

function mutate(rand: () => number, src: Buffer, rate: number, out: Buffer): number {
  let n = 0;
  for (let i = 0; i < src.length; i++) {
    const r = rand();
    if (r < rate / 3) continue;
    if (r < (2 * rate) / 3) out[n++] = ACGT[(rand() * 4) | 0]!;
    else if (r < rate) {
      out[n++] = src[i]!;
      out[n++] = ACGT[(rand() * 4) | 0]!;
    } else out[n++] = src[i]!;
  }
  return n;
}

/** An unaligned BAM record: flag 4, no position, the name, packed bases and qualities. */
function bamRecord(name: string, seq: Buffer, n: number, qual: Buffer): Buffer {
  const lName = name.length + 1;
  const size = 32 + lName + ((n + 1) >> 1) + n;
  const rec = Buffer.alloc(4 + size);
  rec.writeInt32LE(size, 0);
  rec.writeInt32LE(-1, 4);
  rec.writeInt32LE(-1, 8);
  rec[12] = lName;
  rec.writeUInt16LE(4680, 14);
  rec.writeUInt16LE(4, 18);
  rec.writeInt32LE(n, 20);
  rec.writeInt32LE(-1, 24);
  rec.writeInt32LE(-1, 28);
  rec.write(name, 36, 'latin1');
  let p = 36 + lName;
  for (let i = 0; i < n; i += 2) rec[p++] = (NIBBLE[seq[i]!]! << 4) | (i + 1 < n ? NIBBLE[seq[i + 1]!]! : 0);
  qual.copy(rec, p, 0, n);
  return rec;
}

interface Dataset {
  dir: string;
  bam: string;
  fasta: string;
  summary: string;
}

async function generate(reads: number): Promise<Dataset> {
  const dir = join(tmpdir(), `benchtop-bench-ingest-${reads}`);
  const data: Dataset = { dir, bam: join(dir, 'reads.bam'), fasta: join(dir, 'targets.fa'), summary: join(dir, 'sequencing_summary.txt') };
  if (existsSync(join(dir, 'done'))) return data;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  const rand = rng(20261130);
  const targets = TARGET_LENGTHS.map((n) => randomBases(rand, n));
  writeFileSync(data.fasta, targets.map((t, i) => `>target_${i + 1}\n${t.toString('latin1').replace(/(.{80})/g, '$1\n')}\n`).join(''));
  const header = Buffer.alloc(12);
  header.write('BAM\x01', 0, 'latin1');
  const bam = new BgzfWriter(data.bam, { level: 1 });
  bam.write(header);
  const summary = createWriteStream(data.summary);
  summary.write('filename\tread_id\tchannel\tduration\tend_reason\n');
  const scratch = Buffer.allocUnsafe(12_000);
  const qual = Buffer.allocUnsafe(12_000);
  let lines: string[] = [];
  for (let i = 0; i < reads; i++) {
    const name = `${i.toString(16).padStart(8, '0')}-bench-4d2a-9c1e-${(i * 2654435761 >>> 0).toString(16).padStart(12, '0')}`;
    let seq: Buffer;
    let n: number;
    if (rand() < 0.05) {
      seq = randomBases(rand, 1000 + Math.floor(rand() * 4000));
      n = seq.length;
    } else {
      const target = targets[Math.floor(rand() * targets.length)]!;
      n = mutate(rand, target, 0.05 + 0.05 * rand(), scratch);
      seq = scratch;
      if (rand() < 0.5) {
        const rc = Buffer.allocUnsafe(n);
        for (let j = 0; j < n; j++) rc[j] = COMP[seq[n - 1 - j]!]!;
        seq = rc;
      }
    }
    const meanQ = 8 + rand() * 20;
    for (let j = 0; j < n; j++) qual[j] = Math.max(2, Math.min(50, Math.round(meanQ + (rand() - 0.5) * 20)));
    bam.write(bamRecord(name, seq, n, qual));
    lines.push(`batch_${i >> 12}.pod5\t${name}\t${1 + (i % 512)}\t${(n / 400).toFixed(3)}\t${END_REASONS[Math.floor(rand() * END_REASONS.length)]}`);
    if (lines.length === 10_000) {
      if (!summary.write(`${lines.join('\n')}\n`)) await new Promise<void>((r) => summary.once('drain', () => r()));
      lines = [];
    }
  }
  summary.end(lines.length ? `${lines.join('\n')}\n` : '');
  await new Promise<void>((r) => summary.once('finish', () => r()));
  await bam.close();
  writeFileSync(join(dir, 'done'), '');
  console.log(`generated ${reads.toLocaleString('en-US')} reads in ${((performance.now() - t0) / 1000).toFixed(0)} s into ${dir}`);
  return data;
}

interface Measured {
  seconds: number;
  /** User + system CPU time of the process and its threads. */
  cpuSeconds: number;
  peakMb: number;
}

/** Runs a command under /usr/bin/time for its peak resident memory (the process and its threads). */
async function measure(argv: string[], log: string): Promise<Measured> {
  const timeFile = `${log}.time`;
  const t0 = performance.now();
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn('/usr/bin/time', ['-f', '%M %U %S', '-o', timeFile, ...argv], { stdio: ['ignore', 'ignore', 'pipe'] });
    const out = createWriteStream(log);
    child.stderr.pipe(out);
    child.on('close', resolve);
  });
  const seconds = (performance.now() - t0) / 1000;
  if (code !== 0) throw new Error(`${argv.join(' ')} failed (exit ${code}); see ${log}`);
  const [kb, user, sys] = (readFileSync(timeFile, 'utf8').trim().split('\n').at(-1) ?? '').split(' ').map(Number);
  return { seconds, cpuSeconds: (user ?? NaN) + (sys ?? NaN), peakMb: (kb ?? NaN) / 1024 };
}

function benchtopWorkspace(root: string, bam: string): string {
  const ws = join(root, 'workspace');
  const init = spawnSync(process.execPath, [CLI, 'init', '--workspace', ws], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`benchtop init failed: ${init.stderr}`);
  const db = new Database(join(ws, 'benchtop.db'));
  db.prepare("INSERT INTO experiments (exp_id, sample_id) VALUES ('bench', 'bench')").run();
  db.prepare("INSERT INTO basecall_runs (run_id, exp_id, bam_path, status) VALUES ('bench_run', 'bench', ?, 'complete')").run(bam);
  db.close();
  return ws;
}

interface Side extends Measured {
  db: string;
  taggedBam: string;
}

async function runBenchtop(root: string, data: Dataset): Promise<Side> {
  const ws = benchtopWorkspace(root, data.bam);
  const taggedBam = join(root, 'benchtop_tagged.bam');
  const m = await measure(
    [process.execPath, CLI, 'ingest', '--workspace', ws, '--exp', 'bench', '--run', 'bench_run', '--bam', data.bam, '--ref', data.fasta, '--summary', data.summary, '--tagged-bam', taggedBam],
    join(root, 'benchtop.log'),
  );
  return { ...m, db: join(ws, 'reads', 'SMA_bench.db'), taggedBam };
}

async function runSeed(root: string, data: Dataset): Promise<Side> {
  const db = join(root, 'SMA_bench_seed.db');
  const taggedBam = join(root, 'seed_tagged.bam');
  const m = await measure(
    ['/usr/bin/python3', SEED_SCRIPT, '--bam', data.bam, '--ref', data.fasta, '--summary', data.summary, '--db', db, '--run-id', 'bench_run', '--tagged-bam', taggedBam],
    join(root, 'seed.log'),
  );
  return { ...m, db, taggedBam };
}

/** Records samtools reads from the file, or -1 when it is not a complete BAM (quickcheck fails; -u: an unaligned BAM has no targets). */
function samtoolsRecords(bam: string): number {
  if (spawnSync('samtools', ['quickcheck', '-u', bam]).status !== 0) return -1;
  const r = spawnSync('samtools', ['view', '-c', bam], { encoding: 'utf8' });
  return r.status === 0 ? Number(r.stdout.trim()) : -1;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function medians(runs: Side[]): Side {
  return { ...runs[0]!, seconds: median(runs.map((r) => r.seconds)), cpuSeconds: median(runs.map((r) => r.cpuSeconds)), peakMb: median(runs.map((r) => r.peakMb)) };
}

interface Agreement {
  benchtopRows: number;
  seedRows: number;
  joined: number;
  refIdDiffer: number;
  qbcBitEqual: number;
  qbcMaxDiff: number;
  forwardReads: number;
  forwardEdDiffer: number;
  edDiffer: number;
  strandDiffer: number;
  qldMaxDiff: number;
}

function compare(benchtopDb: string, seedDb: string): Agreement {
  const db = new Database(benchtopDb, { readonly: true });
  db.exec(`ATTACH DATABASE '${seedDb.replace(/'/g, "''")}' AS seed`);
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  const agreement = db
    .prepare(
      `SELECT COUNT(*) AS joined,
              SUM(a.ref_id IS NOT b.ref_id) AS refIdDiffer,
              SUM(a.q_bc = b.q_bc) AS qbcBitEqual,
              MAX(ABS(a.q_bc - b.q_bc)) AS qbcMaxDiff,
              SUM(a.strand = '+') AS forwardReads,
              SUM(a.strand = '+' AND a.ed IS NOT b.ed) AS forwardEdDiffer,
              SUM(a.ed IS NOT b.ed) AS edDiffer,
              SUM(a.strand IS NOT b.strand) AS strandDiffer,
              COALESCE(MAX(ABS(a.q_ld - b.q_ld)), 0) AS qldMaxDiff
         FROM main.reads a JOIN seed.reads b ON a.read_id = b.read_id AND a.run_id = b.run_id`,
    )
    .get() as Omit<Agreement, 'benchtopRows' | 'seedRows'>;
  const result = { benchtopRows: count('SELECT COUNT(*) AS n FROM main.reads'), seedRows: count('SELECT COUNT(*) AS n FROM seed.reads'), ...agreement };
  db.close();
  return result;
}

function line(cells: ReadonlyArray<string>): string {
  const widths = [34, 16, 16, 22];
  return cells.map((c, i) => c.padEnd(widths[i] ?? 12)).join('');
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'benchtop-bench-ingest-run-'));
  try {
    const data = await generate(READS);
    const btRuns: Side[] = [];
    const seedRuns: Side[] = [];
    for (let i = 0; i < RUNS; i++) {
      // Each run in a fresh folder; the last one's files are compared.
      btRuns.push(await runBenchtop(mkdtempSync(join(root, 'benchtop-')), data));
      seedRuns.push(await runSeed(mkdtempSync(join(root, 'seed-')), data));
    }
    const bt = medians(btRuns);
    const seed = medians(seedRuns);
    const agree = compare(btRuns.at(-1)!.db, seedRuns.at(-1)!.db);
    const btTagged = samtoolsRecords(btRuns.at(-1)!.taggedBam);
    const seedTagged = samtoolsRecords(seedRuns.at(-1)!.taggedBam);
    const btRate = READS / bt.seconds;
    const seedRate = READS / seed.seconds;
    const rows: string[][] = [
      ['measure', 'Benchtop', 'seed (Python)', 'target'],
      ['reads/s', btRate.toFixed(0), seedRate.toFixed(0), `≥ 3× (${(btRate / seedRate).toFixed(2)}×)`],
      ['wall time (s)', bt.seconds.toFixed(1), seed.seconds.toFixed(1), ''],
      ['CPU time (s, all threads)', bt.cpuSeconds.toFixed(1), seed.cpuSeconds.toFixed(1), ''],
      ['reads per CPU-second', (READS / bt.cpuSeconds).toFixed(0), (READS / seed.cpuSeconds).toFixed(0), `(${(seed.cpuSeconds / bt.cpuSeconds).toFixed(2)}×)`],
      ['peak RSS (MB)', bt.peakMb.toFixed(0), seed.peakMb.toFixed(0), ''],
    ];
    console.log(`SMA-seq ingest with the tagged BAM, ${READS.toLocaleString('en-US')} reads (1–5 kb, 3 targets, 5–10 % errors, half reverse), ${data.dir}`);
    if (RUNS > 1) console.log(`medians of ${RUNS} runs per side, run alternately`);
    console.log(`${availableParallelism()} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (wall-clock figures depend on what else runs)`);
    for (const r of rows) console.log(line(r));
    console.log(
      [
        `rows: Benchtop ${agree.benchtopRows}, seed ${agree.seedRows}, joined ${agree.joined}`,
        `ref_id differs on ${agree.refIdDiffer} reads`,
        `ed differs on ${agree.forwardEdDiffer} of ${agree.forwardReads} forward-strand reads (${agree.edDiffer} of all; strand differs on ${agree.strandDiffer})`,
        `q_bc bit-identical on ${agree.qbcBitEqual} of ${agree.joined}, largest difference ${agree.qbcMaxDiff.toExponential(2)} (V8's pow/log10 vs glibc's, last bits)`,
        `q_ld largest difference ${agree.qldMaxDiff.toExponential(2)}`,
        `tagged BAM records (samtools view -c): Benchtop ${btTagged}, seed ${seedTagged}`,
      ].join('\n'),
    );
    const identical =
      agree.joined === READS && agree.benchtopRows === READS && agree.seedRows === READS && agree.refIdDiffer === 0 && agree.edDiffer === 0 && agree.qbcMaxDiff < 1e-9 && agree.qldMaxDiff < 1e-9 && btTagged === READS && seedTagged === READS;
    console.log(identical ? 'values: identical' : 'values: MISMATCH');
    if (process.env.BENCH_MEMORY) {
      const big = await generate(MEMORY_READS);
      const mem = await runBenchtop(mkdtempSync(join(root, 'mem-')), big);
      console.log(line(['peak RSS at 1M reads (MB)', mem.peakMb.toFixed(0), '', '< 512']));
      console.log(line(['reads/s at 1M reads', (MEMORY_READS / mem.seconds).toFixed(0), '', '']));
    } else {
      console.log('Peak memory at 1M reads: set BENCH_MEMORY=1 (generates a ~2 GB BAM once).');
    }
    if (!identical) process.exitCode = 1;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
