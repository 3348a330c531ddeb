/**
 * `benchtop builtin readlen`: read-length distributions of R1 and R2 (counts per length), as
 * readlen.tsv and results.json (a table, a bar plot with one series per read, and per-read metrics).
 * Memory: one counter per distinct length.
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { StepResult } from '../../../shared/schemas/results';
import { emptyResult, resultFile, round, writeStepResult } from '../../results/files';
import { FastqReader, InputError, TextWriter } from './fastq';
import { Progress, count, type Log } from './progress';

export interface LengthStats {
  reads: number;
  bases: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  median: number | null;
  /** The length L such that reads of length ≥ L hold at least half of all bases. */
  n50: number | null;
}

/** Statistics of a length histogram (length → number of reads). */
export function lengthStats(hist: ReadonlyMap<number, number>): LengthStats {
  const lengths = [...hist.keys()].filter((l) => (hist.get(l) ?? 0) > 0).sort((a, b) => a - b);
  let reads = 0;
  let bases = 0;
  for (const l of lengths) {
    const n = hist.get(l) ?? 0;
    reads += n;
    bases += n * l;
  }
  if (reads === 0) return { reads: 0, bases: 0, min: null, max: null, mean: null, median: null, n50: null };
  // Median: the middle read (or the mean of the two middle reads) in length order.
  const at = (k: number): number => {
    let seen = 0;
    for (const l of lengths) {
      seen += hist.get(l) ?? 0;
      if (seen > k) return l;
    }
    return lengths[lengths.length - 1] as number;
  };
  const median = reads % 2 === 1 ? at((reads - 1) / 2) : (at(reads / 2 - 1) + at(reads / 2)) / 2;
  let n50 = lengths[0] as number;
  let cum = 0;
  for (let i = lengths.length - 1; i >= 0; i--) {
    const l = lengths[i] as number;
    cum += l * (hist.get(l) ?? 0);
    if (cum * 2 >= bases) {
      n50 = l;
      break;
    }
  }
  return { reads, bases, min: lengths[0] as number, max: lengths[lengths.length - 1] as number, mean: bases / reads, median, n50 };
}

export interface ReadlenOptions {
  r1: string;
  r2?: string | undefined;
  stepDir: string;
}

export interface ReadlenSummary {
  r1: Map<number, number>;
  r2: Map<number, number> | null;
  stats: { r1: LengthStats; r2: LengthStats | null };
}

async function histogram(path: string, progress: Progress, offset: number): Promise<Map<number, number>> {
  const reader = new FastqReader(path);
  const hist = new Map<number, number>();
  try {
    for (let rec = await reader.next(); rec; rec = await reader.next()) {
      hist.set(rec.seq.length, (hist.get(rec.seq.length) ?? 0) + 1);
      if ((reader.records & 0x3ff) === 0) progress.update(offset + reader.bytesRead);
    }
  } finally {
    reader.close();
  }
  return hist;
}

export async function runReadlen(o: ReadlenOptions, log: Log): Promise<ReadlenSummary> {
  const files = [o.r1, ...(o.r2 ? [o.r2] : [])];
  for (const f of files) if (!existsSync(f)) throw new InputError(`input file not found: ${f}`);
  mkdirSync(o.stepDir, { recursive: true });
  const tsv = join(o.stepDir, 'readlen.tsv');
  rmSync(tsv, { force: true });
  rmSync(join(o.stepDir, 'results.json'), { force: true });
  const sizes = files.map((f) => statSync(f).size);
  const progress = new Progress(log, 'bytes', sizes.reduce((a, b) => a + b, 0));

  log(`reading ${o.r1}`);
  const h1 = await histogram(o.r1, progress, 0);
  let h2: Map<number, number> | null = null;
  if (o.r2) {
    log(`reading ${o.r2}`);
    h2 = await histogram(o.r2, progress, sizes[0] as number);
  }
  progress.finish(sizes.reduce((a, b) => a + b, 0));
  const s1 = lengthStats(h1);
  const s2 = h2 ? lengthStats(h2) : null;
  if (s2 && s2.reads !== s1.reads) log(`warning: R1 has ${count(s1.reads)} reads but R2 has ${count(s2.reads)}`);

  const lengths = [...new Set([...h1.keys(), ...(h2?.keys() ?? [])])].sort((a, b) => a - b);
  const writer = new TextWriter(`${tsv}.partial`, { gzip: false });
  await writer.write(h2 ? 'length\tR1\tR2\n' : 'length\tR1\n');
  for (const l of lengths) await writer.write(h2 ? `${l}\t${h1.get(l) ?? 0}\t${h2.get(l) ?? 0}\n` : `${l}\t${h1.get(l) ?? 0}\n`);
  await writer.close();
  renameSync(`${tsv}.partial`, tsv);

  for (const [name, s] of [['R1', s1], ['R2', s2]] as const) {
    if (!s) continue;
    log(`${name}: ${count(s.reads)} reads, ${count(s.bases)} bases, length ${s.min ?? '-'}–${s.max ?? '-'}, mean ${s.mean === null ? '-' : round(s.mean, 1)}, median ${s.median ?? '-'}, N50 ${s.n50 ?? '-'}`);
  }

  const result: StepResult = emptyResult(o.stepDir, 'readlen');
  for (const [name, s] of [['R1', s1], ['R2', s2]] as const) {
    if (!s) continue;
    result.metrics.push(
      { label: `${name} reads`, value: s.reads },
      { label: `${name} mean length`, value: s.mean === null ? null : round(s.mean, 1), unit: 'bp' },
      { label: `${name} median length`, value: s.median, unit: 'bp' },
      { label: `${name} N50`, value: s.n50, unit: 'bp' },
      { label: `${name} shortest – longest`, value: s.min === null ? null : `${s.min} – ${s.max}`, unit: 'bp' },
    );
  }
  const MAX_ROWS = 2000;
  result.tables.push({
    id: 'read_lengths',
    title: 'Reads per length',
    columns: [
      { key: 'length', label: 'Length (bp)', type: 'number' },
      { key: 'r1', label: 'R1 reads', type: 'number' },
      ...(h2 ? [{ key: 'r2', label: 'R2 reads', type: 'number' as const }] : []),
    ],
    rows: lengths.slice(0, MAX_ROWS).map((l) => ({ length: l, r1: h1.get(l) ?? 0, ...(h2 ? { r2: h2.get(l) ?? 0 } : {}) })),
    ...(lengths.length > MAX_ROWS ? { truncated: lengths.length - MAX_ROWS } : {}),
  });
  result.plots.push({
    id: 'read_length_distribution',
    title: 'Read-length distribution',
    kind: 'bar',
    xLabel: 'Read length (bp)',
    yLabel: 'Reads',
    x: lengths,
    series: [{ name: 'R1', y: lengths.map((l) => h1.get(l) ?? 0) }, ...(h2 ? [{ name: 'R2', y: lengths.map((l) => (h2 as Map<number, number>).get(l) ?? 0) }] : [])],
  });
  result.files.push(resultFile(o.stepDir, tsv, 'Read lengths (TSV)', 'tsv'));
  if (result.tables[0]) result.tables[0].file = result.files[0]?.path;
  writeStepResult(o.stepDir, result);
  return { r1: h1, r2: h2, stats: { r1: s1, r2: s2 } };
}
