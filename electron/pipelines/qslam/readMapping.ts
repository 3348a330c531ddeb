/**
 * `benchtop builtin read_mapping`: maps the read pairs to a local genome FASTA.
 *
 *   1. find or build the cached index (references.ts)
 *   2. `bwa mem -t N <index> R1 R2` piped IN CODE into `samtools sort -@ N -o mapped.bam -`
 *      (bwa-mem2 instead of bwa when chosen and installed)
 *   3. `samtools index mapped.bam`; `samtools flagstat mapped.bam`, its stdout written to flagstat.txt
 *   4. results.json with the flagstat figures
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { StepResult } from '../../../shared/schemas/results';
import { emptyResult, resultFile, writeStepResult } from '../../results/files';
import { flagstatResult, parseFlagstat } from '../../results/flagstat';
import { InputError } from './fastq';
import { requireTool, runPipe, runTool, which } from './proc';
import { Progress, count, type Log } from './progress';
import { prepareReference, type Aligner } from './references';

export interface ReadMappingOptions {
  r1: string;
  r2: string;
  stepDir: string;
  genome: string;
  referencesDir: string;
  aligner: Aligner;
  threads: number;
  genomeTarUrl?: string | undefined;
  tools?: { bwa?: string | undefined; bwaMem2?: string | undefined; samtools?: string | undefined };
}

export interface ReadMappingSummary {
  bam: string;
  flagstat: string;
  aligner: Aligner;
  referenceDir: string;
  indexCached: boolean;
}

export async function runReadMapping(o: ReadMappingOptions, log: Log): Promise<ReadMappingSummary> {
  if (!o.genome) throw new InputError('--genome is required: the path of a local genome FASTA (plain or .gz)');
  if (o.aligner !== 'bwa' && o.aligner !== 'bwa-mem2') throw new InputError(`--aligner must be bwa or bwa-mem2, not ${JSON.stringify(o.aligner)}`);
  if (!Number.isInteger(o.threads) || o.threads < 1) throw new InputError(`--threads must be a whole number ≥ 1, not ${o.threads}`);
  for (const f of [o.r1, o.r2]) if (!existsSync(f)) throw new InputError(`input file not found: ${f}`);
  const samtools = requireTool('samtools', o.tools?.samtools);
  let aligner: Aligner = o.aligner;
  let alignerPath: string;
  if (aligner === 'bwa-mem2') {
    const found = which('bwa-mem2', o.tools?.bwaMem2);
    if (found) alignerPath = found;
    else {
      log('bwa-mem2 was chosen but is not installed: using bwa instead');
      aligner = 'bwa';
      alignerPath = requireTool('bwa', o.tools?.bwa);
    }
  } else {
    alignerPath = requireTool('bwa', o.tools?.bwa);
  }
  if (o.genomeTarUrl) log(`genome download URL recorded (not fetched: Benchtop works offline): ${o.genomeTarUrl}`);

  mkdirSync(o.stepDir, { recursive: true });
  const bam = join(o.stepDir, 'mapped.bam');
  const flagstat = join(o.stepDir, 'flagstat.txt');
  for (const f of [bam, `${bam}.bai`, flagstat, join(o.stepDir, 'results.json'), `${bam}.partial`]) rmSync(f, { force: true });

  const ref = await prepareReference({ genome: resolve(o.genome), referencesDir: resolve(o.referencesDir), aligner, alignerPath, genomeTarUrl: o.genomeTarUrl, log });

  log(`mapping with ${aligner} (${o.threads} thread${o.threads === 1 ? '' : 's'})`);
  const progress = new Progress(log, 'reads');
  let processed = 0;
  // bwa reads malformed or unpaired FASTQ without failing: it warns and maps what it could. We fail.
  let inputProblem: string | null = null;
  await runPipe(
    [alignerPath, 'mem', '-t', String(o.threads), ref.prefix, o.r1, o.r2],
    [samtools, 'sort', '-@', String(o.threads), '-T', join(o.stepDir, 'mapped.sorttmp'), '-o', `${bam}.partial`, '-O', 'bam', '-'],
    {
      log,
      onStderr: (line) => {
        if (!inputProblem && (/\[W::bseq_read\] the (1st|2nd) file has fewer sequences/.test(line) || /paired reads have different names/.test(line))) inputProblem = line.trim();
        // bwa: "[M::mem_process_seqs] Processed 123456 reads in …"
        const m = /Processed (\d+) reads/.exec(line);
        if (m) {
          processed += Number(m[1]);
          progress.update(processed, true);
        }
      },
    },
  );
  if (inputProblem) {
    rmSync(`${bam}.partial`, { force: true });
    throw new InputError(`${basename(o.r1)} / ${basename(o.r2)}: the read files are malformed or their pairs are out of sync (bwa: ${String(inputProblem).slice(0, 200)})`);
  }
  renameSync(`${bam}.partial`, bam);
  await runTool([samtools, 'index', bam], { log });
  await runTool([samtools, 'flagstat', bam], { log, stdoutFile: flagstat });
  const text = readFileSync(flagstat, 'utf8');
  const stats = parseFlagstat(text, flagstat);
  if (stats.total === 0) throw new InputError(`${basename(o.r1)} / ${basename(o.r2)}: bwa found no reads to map (empty or not FASTQ)`);
  log(`reads: ${count(stats.total)}, mapped: ${count(stats.mapped)} (${stats.mappedPercent ?? '-'} %), properly paired: ${stats.properlyPairedPercent ?? '-'} %`);

  const result: StepResult = emptyResult(o.stepDir, 'read_mapping');
  const figures = flagstatResult(stats);
  result.metrics.push(...figures.metrics);
  result.tables.push(...figures.tables);
  result.metrics.push({ label: 'Aligner', value: aligner }, { label: 'Genome index', value: ref.cached ? 'cached' : 'built now' }, { label: 'Reference', value: ref.dir });
  result.files.push(resultFile(o.stepDir, bam, 'Mapped reads (sorted BAM)', 'bam'), resultFile(o.stepDir, `${bam}.bai`, 'BAM index', 'other'), resultFile(o.stepDir, flagstat, 'samtools flagstat', 'text'));
  writeStepResult(o.stepDir, result);
  return { bam, flagstat, aligner, referenceDir: ref.dir, indexCached: ref.cached };
}
