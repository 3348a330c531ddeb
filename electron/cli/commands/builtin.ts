/**
 * `benchtop builtin <step> --flag value …`: the qsLAM steps written in TypeScript, run as processes
 * exactly like external tools (the job runner starts them from the step definitions in
 * resources/steps/). They print log lines and `##progress` lines on stdout, write their outputs and
 * results.json into --step-dir, and exit 1 with one line on stderr naming the file and record when
 * the input is bad.
 */
import { runReadMapping } from '../../pipelines/qslam/readMapping';
import { runReadlen } from '../../pipelines/qslam/readlen';
import { SITE_DEFAULTS, runSiteAnalysis } from '../../pipelines/qslam/siteAnalysis';
import { runUmi } from '../../pipelines/qslam/umi';
import { runReadQcStep } from '../../nanopore/readqc/step';
import type { CliCommand } from '../context';
import { int, oneOf, required, str } from '../options';

const s = { type: 'string' } as const;

/** Why a built-in step's process refuses --json. */
export const STEP_PROCESS = "it is a step's own process, which prints the step's log (its results go to results.json in --step-dir)";

export const BUILTIN_COMMANDS: CliCommand[] = [
  {
    words: ['builtin', 'umi'],
    usage: 'benchtop builtin umi --r1 FILE --r2 FILE --step-dir DIR [--umi-length 8] [--umi-read r1|r2] [--umi-location start|end]',
    summary: 'qsLAM step: move the UMI from a read into both mates\' names (writes R1.fastq.gz, R2.fastq.gz, results.json)',
    noJson: STEP_PROCESS,
    options: { r1: s, r2: s, 'step-dir': s, 'umi-length': s, 'umi-read': s, 'umi-location': s },
    run: async (ctx, v) => {
      await runUmi(
        {
          r1: required(v, 'r1'),
          r2: required(v, 'r2'),
          stepDir: required(v, 'step-dir'),
          umiLength: int(v, 'umi-length', 8),
          umiRead: oneOf(v, 'umi-read', ['r1', 'r2'], 'r1'),
          umiLocation: oneOf(v, 'umi-location', ['start', 'end'], 'start'),
        },
        ctx.out,
      );
    },
  },
  {
    words: ['builtin', 'readlen'],
    usage: 'benchtop builtin readlen --r1 FILE [--r2 FILE] --step-dir DIR',
    summary: 'qsLAM step: read-length distributions of R1 and R2 (writes readlen.tsv, results.json)',
    noJson: STEP_PROCESS,
    options: { r1: s, r2: s, 'step-dir': s },
    run: async (ctx, v) => {
      await runReadlen({ r1: required(v, 'r1'), r2: str(v, 'r2'), stepDir: required(v, 'step-dir') }, ctx.out);
    },
  },
  {
    words: ['builtin', 'read_mapping'],
    usage:
      'benchtop builtin read_mapping --r1 FILE --r2 FILE --step-dir DIR --genome FASTA --references-dir DIR [--aligner bwa|bwa-mem2] [--threads N] [--genome-tar-url URL] [--bwa PATH] [--bwa-mem2 PATH] [--samtools PATH]',
    summary: 'qsLAM step: bwa mem | samtools sort, index, flagstat; the genome index is cached in --references-dir (writes mapped.bam, flagstat.txt, results.json)',
    noJson: STEP_PROCESS,
    options: { r1: s, r2: s, 'step-dir': s, genome: s, 'references-dir': s, aligner: s, threads: s, 'genome-tar-url': s, bwa: s, 'bwa-mem2': s, samtools: s },
    run: async (ctx, v) => {
      await runReadMapping(
        {
          r1: required(v, 'r1'),
          r2: required(v, 'r2'),
          stepDir: required(v, 'step-dir'),
          genome: required(v, 'genome'),
          referencesDir: required(v, 'references-dir'),
          aligner: oneOf(v, 'aligner', ['bwa', 'bwa-mem2'], 'bwa'),
          threads: int(v, 'threads', 1),
          genomeTarUrl: str(v, 'genome-tar-url'),
          tools: { bwa: str(v, 'bwa'), bwaMem2: str(v, 'bwa-mem2'), samtools: str(v, 'samtools') },
        },
        ctx.out,
      );
    },
  },
  {
    words: ['builtin', 'site_analysis'],
    usage:
      'benchtop builtin site_analysis --bam FILE --step-dir DIR [--annotation BED|GTF] [--spike-bed BED] [--max-fragment 1000] [--merge-distance 5] [--max-clip 6] [--exclude-contig vector] [--promoter-left 5000] [--promoter-right 2000] [--enhancer-left 50000] [--threads N] [--keep-intermediate]',
    summary: 'qsLAM step: integration sites (peaks) from mapped pairs, with nearest genes (writes peaks.tsv, peaks.kept.tsv, fragments.bed, results.json)',
    noJson: STEP_PROCESS,
    options: {
      bam: s,
      'step-dir': s,
      annotation: s,
      'spike-bed': s,
      'max-fragment': s,
      'merge-distance': s,
      'max-clip': s,
      'exclude-contig': s,
      'promoter-left': s,
      'promoter-right': s,
      'enhancer-left': s,
      threads: s,
      samtools: s,
      bedtools: s,
      'keep-intermediate': { type: 'boolean' },
    },
    run: async (ctx, v) => {
      const d = SITE_DEFAULTS;
      await runSiteAnalysis(
        {
          bam: required(v, 'bam'),
          stepDir: required(v, 'step-dir'),
          annotation: str(v, 'annotation'),
          spikeBed: str(v, 'spike-bed'),
          maxFragment: int(v, 'max-fragment', d.maxFragment),
          mergeDistance: int(v, 'merge-distance', d.mergeDistance),
          maxClip: int(v, 'max-clip', d.maxClip),
          excludeContig: typeof v['exclude-contig'] === 'string' ? v['exclude-contig'] : d.excludeContig,
          rule: {
            promoterLeft: int(v, 'promoter-left', d.rule.promoterLeft),
            promoterRight: int(v, 'promoter-right', d.rule.promoterRight),
            enhancerLeft: int(v, 'enhancer-left', d.rule.enhancerLeft),
          },
          threads: int(v, 'threads', 1),
          keepIntermediate: v['keep-intermediate'] === true,
          tools: { samtools: str(v, 'samtools'), bedtools: str(v, 'bedtools') },
        },
        ctx.out,
      );
    },
  },
  {
    words: ['builtin', 'read_qc'],
    usage: 'benchtop builtin read_qc --input FASTQ|BAM --step-dir DIR [--summary TSV]',
    summary: 'Nanopore step: read QC of a FASTQ(.gz) or unaligned BAM, with the sequencing summary when given (writes readqc_lengths.tsv, readqc_yield.tsv, results.json)',
    noJson: STEP_PROCESS,
    options: { input: s, summary: s, 'step-dir': s },
    run: async (ctx, v) => {
      await runReadQcStep({ input: required(v, 'input'), summary: str(v, 'summary'), stepDir: required(v, 'step-dir') }, ctx.out);
    },
  },
];
