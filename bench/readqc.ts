/**
 * Read QC throughput: `benchtop qc` next to `seqkit stats -a` on the same generated nanopore-like
 * FASTQ (1–20 kb reads, ~1 GB; BENCH_SCALE=0.1 for ~100 MB). Prints wall time, MB/s and peak RSS of
 * both (measured by /usr/bin/time), and checks that reads, bases and N50 agree.
 * The file is generated once per bench run in a temp dir and removed after (BENCH_KEEP=1 keeps it,
 * and a kept file of the same size is reused).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeNanoporeFastq } from '../tests/fixtures/nanopore/reads';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const BYTES = Math.round(1e9 * SCALE);
const KEEP = process.env.BENCH_KEEP === '1';
const CLI = fileURLToPath(new URL('../../bin/benchtop.js', import.meta.url));
const TIME = '/usr/bin/time';

interface Measured {
  seconds: number;
  peakRssMb: number | null;
  stdout: string;
}

/** Runs argv under /usr/bin/time when it exists (for the peak RSS), else times it here. */
function measure(argv: string[]): Measured {
  const timed = existsSync(TIME);
  const t0 = process.hrtime.bigint();
  const r = timed
    ? spawnSync(TIME, ['-f', '##time %e %M', ...argv], { encoding: 'utf8', maxBuffer: 64 << 20 })
    : spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status}): ${r.stderr}`);
  const m = /##time ([\d.]+) (\d+)/.exec(r.stderr);
  return { seconds, peakRssMb: m ? Number(m[2]) / 1024 : null, stdout: r.stdout };
}

function warm(path: string): void {
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(8 << 20);
  try {
    while (readSync(fd, buf, 0, buf.length, null) > 0);
  } finally {
    closeSync(fd);
  }
}

function main(): void {
  const dir = join(tmpdir(), 'benchtop-bench-readqc');
  mkdirSync(dir, { recursive: true });
  const fastq = join(dir, `reads_${BYTES}.fastq`);
  try {
    if (!existsSync(fastq)) {
      process.stdout.write(`generating ${(BYTES / 1e6).toFixed(0)} MB of nanopore-like FASTQ in ${dir} … `);
      const t0 = Date.now();
      const g = writeNanoporeFastq({ path: fastq, seed: 42, bytes: BYTES });
      process.stdout.write(`${g.reads.toLocaleString('en-US')} reads in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    }
    const mb = statSync(fastq).size / 1e6;
    // Both read the file once untimed so both are timed from a warm page cache.
    warm(fastq);

    const ours = measure([process.execPath, CLI, 'qc', fastq, '--json']);
    const report = JSON.parse(ours.stdout) as { metrics: { reads: number; bases: number; n50: number; meanQ: number } };
    const peer = measure(['seqkit', 'stats', '-a', '-T', fastq]);
    const [header, row] = peer.stdout.trim().split('\n').map((l) => l.split('\t'));
    const seqkit = Object.fromEntries(header!.map((h, i) => [h, row![i]]));

    const rss = (m: Measured) => (m.peakRssMb === null ? '-' : m.peakRssMb.toFixed(0));
    const rows = [
      ['tool', 'wall (s)', 'MB/s', 'peak RSS (MB)', 'reads', 'bases', 'N50'],
      ['benchtop qc', ours.seconds.toFixed(2), (mb / ours.seconds).toFixed(0), rss(ours), report.metrics.reads, report.metrics.bases, report.metrics.n50],
      ['seqkit stats -a', peer.seconds.toFixed(2), (mb / peer.seconds).toFixed(0), rss(peer), seqkit.num_seqs, seqkit.sum_len, seqkit.N50],
    ].map((r) => r.map(String));
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    console.log(`\nRead QC on ${mb.toFixed(0)} MB FASTQ (${report.metrics.reads.toLocaleString('en-US')} reads)`);
    for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
    const agree = report.metrics.reads === Number(seqkit.num_seqs) && report.metrics.bases === Number(seqkit.sum_len) && report.metrics.n50 === Number(seqkit.N50);
    console.log(`reads, bases and N50 ${agree ? 'agree' : 'DIFFER'}; speed ${(peer.seconds / ours.seconds).toFixed(2)}× seqkit's; benchtop also computes mean Q ${report.metrics.meanQ.toFixed(2)} (probability-averaged)`);
    if (!agree) process.exitCode = 1;
  } finally {
    if (!KEEP) rmSync(fastq, { force: true });
  }
}

main();
