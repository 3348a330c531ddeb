/**
 * `benchtop builtin site_analysis`: vector integration sites from mapped read pairs, following the
 * original LVIS qsLAM pipeline (11.bam2bed.sh + 13-bed2peak.noFilter.sh + target_gene_prediction.R).
 *
 *   samtools view -h -F 0x904 mapped.bam          mapped primary alignments only (see below)
 *     → [clip filter, in code: sites/clip.ts]
 *     → samtools sort -n -o filtered.namesorted.bam -
 *   bedtools bamtobed -bedpe -mate1 -i filtered.namesorted.bam
 *     → [fragments, in code: sites/bedpe.ts]   fragments.bed; one (chr, strand, site, start, end) line each
 *   LC_ALL=C sort by chr, strand, site, start, end   (external sort: memory stays flat)
 *     → [dedupe + merge into peaks: sites/peaks.ts; nearest gene: sites/annotation.ts;
 *        known sites: sites/spike.ts]
 *   LC_ALL=C sort peaks by nUniqueReads, nReads (descending)
 *     → peaks.tsv (every peak), peaks.kept.tsv (nUniqueReads > 1 or nReads > 5, with percentages)
 *
 * Differences from the original, on purpose: secondary and supplementary alignments (0x100, 0x800)
 * are dropped with the unmapped ones, because bamtobed -bedpe pairs records two by two and an extra
 * record of a read breaks its pair; contigs are excluded when their NAME contains `exclude_contig`
 * (the original grepped whole lines for "vector", read names included).
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { StepResult } from '../../../shared/schemas/results';

type ResultTable = StepResult['tables'][number];
import { emptyResult, resultFile, round, writeStepResult } from '../../results/files';
import { InputError, LINE_LIMITS, LineSource, TextWriter } from './fastq';
import { requireTool, spawnLines, spawnSink } from './proc';
import { Progress, count, type Log } from './progress';
import { AnnotationBuilder, AnnotationError, DEFAULT_RULE, GeneIndex, type Region, type RegionRule, type SiteAnnotation } from './sites/annotation';
import { BedpeError, fragmentOf, insertionSite, parseBedpeLine } from './sites/bedpe';
import { keepSamLine } from './sites/clip';
import { PeakCaller, keepPeak, type Peak } from './sites/peaks';
import { KnownSitesError, SpikeIndex, parseKnownSiteLine, type KnownSite } from './sites/spike';

export interface SiteAnalysisOptions {
  bam: string;
  stepDir: string;
  threads: number;
  maxFragment: number;
  mergeDistance: number;
  maxClip: number;
  excludeContig: string;
  annotation?: string | undefined;
  spikeBed?: string | undefined;
  rule: RegionRule;
  keepIntermediate?: boolean;
  tools?: { samtools?: string | undefined; bedtools?: string | undefined; sort?: string | undefined };
}

export const SITE_DEFAULTS = { maxFragment: 1000, mergeDistance: 5, maxClip: 6, excludeContig: 'vector', rule: DEFAULT_RULE };

export interface SiteAnalysisSummary {
  alignments: number;
  droppedClip: number;
  pairs: number;
  brokenPairs: number;
  otherChromosome: number;
  excludedContig: number;
  tooLong: number;
  fragments: number;
  uniqueFragments: number;
  peaks: number;
  peaksKept: number;
}

const PEAK_COLUMNS = ['seqnames', 'start', 'end', 'name', 'nUniqueReads', 'strand', 'nReads', 'nOverlapWithSpike', 'gene', 'tss_distance', 'gene_region', 'site', 'gene_strand'] as const;

function checkOptions(o: SiteAnalysisOptions): void {
  const whole = (name: string, v: number, lo: number, hi: number) => {
    if (!Number.isInteger(v) || v < lo || v > hi) throw new InputError(`--${name} must be a whole number from ${lo} to ${hi}, not ${v}`);
  };
  whole('max-fragment', o.maxFragment, 1, 100_000);
  whole('merge-distance', o.mergeDistance, 0, 10);
  whole('max-clip', o.maxClip, 0, 1000);
  whole('threads', o.threads, 1, 1024);
  whole('promoter-left', o.rule.promoterLeft, 0, 10_000_000);
  whole('promoter-right', o.rule.promoterRight, 0, 10_000_000);
  whole('enhancer-left', o.rule.enhancerLeft, 0, 10_000_000);
  if (o.rule.enhancerLeft < o.rule.promoterLeft) throw new InputError(`--enhancer-left (${o.rule.enhancerLeft}) must be at least --promoter-left (${o.rule.promoterLeft}): the enhancer window lies upstream of the promoter`);
  if (!existsSync(o.bam)) throw new InputError(`input file not found: ${o.bam}`);
  if (o.annotation && !existsSync(o.annotation)) throw new InputError(`annotation file not found: ${o.annotation}`);
  if (o.spikeBed && !existsSync(o.spikeBed)) throw new InputError(`known-sites BED not found: ${o.spikeBed}`);
}

/** Reads a text file (plain or gzip) line by line, naming the file and line on a bad line. */
async function eachLine(path: string, fn: (line: string) => void): Promise<void> {
  const source = new LineSource(path, LINE_LIMITS.table);
  let n = 0;
  try {
    for (let batch = await source.nextBatch(); batch; batch = await source.nextBatch()) {
      for (const line of batch) {
        n++;
        try {
          fn(line);
        } catch (err) {
          if (err instanceof AnnotationError || err instanceof KnownSitesError) throw new InputError(`${source.label} line ${n}: ${err.message}`);
          throw err;
        }
      }
    }
  } finally {
    source.close();
  }
}

export async function loadGenes(path: string, log: Log): Promise<GeneIndex> {
  const builder = new AnnotationBuilder();
  await eachLine(path, (line) => builder.add(line));
  const genes = builder.result();
  if (genes.length === 0) throw new InputError(`${path}: no genes with a strand found (expected BED6 with a strand column, or GTF/GFF gene lines)`);
  log(`annotation: ${count(genes.length)} genes from ${path}${builder.skippedNoStrand ? ` (${count(builder.skippedNoStrand)} lines without a strand skipped)` : ''}`);
  return new GeneIndex(genes);
}

export async function loadKnownSites(path: string, log: Log): Promise<SpikeIndex> {
  const sites: KnownSite[] = [];
  await eachLine(path, (line) => {
    const s = parseKnownSiteLine(line);
    if (s) sites.push(s);
  });
  log(`known sites: ${count(sites.length)} from ${path}`);
  return new SpikeIndex(sites);
}

function fmtPeakLine(p: Peak, name: string, spike: number, a: SiteAnnotation | null): string {
  return [p.chr, p.start, p.end, name, p.nUniqueReads, p.strand, p.nReads, spike, a?.gene ?? 'NA', a?.tssDistance ?? 'NA', a?.region ?? 'NA', p.site, a?.geneStrand ?? 'NA'].join('\t');
}

export async function runSiteAnalysis(o: SiteAnalysisOptions, log: Log): Promise<SiteAnalysisSummary> {
  checkOptions(o);
  const samtools = requireTool('samtools', o.tools?.samtools);
  const bedtools = requireTool('bedtools', o.tools?.bedtools);
  const sort = requireTool('sort', o.tools?.sort);
  const sortEnv = { ...process.env, LC_ALL: 'C' };
  const genes = o.annotation ? await loadGenes(o.annotation, log) : null;
  if (!genes) log('no gene annotation given: peaks are not annotated with genes');
  const spikes = o.spikeBed ? await loadKnownSites(o.spikeBed, log) : null;

  mkdirSync(o.stepDir, { recursive: true });
  const f = (name: string) => join(o.stepDir, name);
  const outputs = ['peaks.tsv', 'peaks.kept.tsv', 'fragments.bed', 'results.json', 'filtered.namesorted.bam', 'sites.unsorted.tsv', 'peaks.unsorted.tsv'];
  for (const name of outputs) rmSync(f(name), { force: true });

  const s: SiteAnalysisSummary = { alignments: 0, droppedClip: 0, pairs: 0, brokenPairs: 0, otherChromosome: 0, excludedContig: 0, tooLong: 0, fragments: 0, uniqueFragments: 0, peaks: 0, peaksKept: 0 };

  // 1. Mapped primary alignments, clip filter, name sort.
  let total: number | null = null;
  if (existsSync(`${o.bam}.bai`) || existsSync(`${o.bam}.csi`)) {
    const idx = spawnLines([samtools, 'idxstats', o.bam], { log });
    let n = 0;
    for await (const batch of idx.batches) for (const line of batch) n += Number(line.split('\t')[2] ?? 0) + Number(line.split('\t')[3] ?? 0);
    await idx.done();
    total = n;
  }
  const progress = new Progress(log, 'alignments', total);
  log(`filtering alignments of ${o.bam}: dropping those whose CIGAR starts with a clip longer than ${o.maxClip} bp`);
  const view = spawnLines([samtools, 'view', '-h', '-F', '0x904', o.bam], { log });
  const sink = spawnSink([samtools, 'sort', '-n', '-@', String(o.threads), '-T', f('namesort.tmp'), '-o', f('filtered.namesorted.bam'), '-'], { log });
  try {
    for await (const batch of view.batches) {
      const keep: string[] = [];
      for (const line of batch) {
        if (!line.startsWith('@')) {
          s.alignments++;
          if (!keepSamLine(line, o.maxClip)) {
            s.droppedClip++;
            continue;
          }
        }
        keep.push(line);
      }
      progress.update(s.alignments);
      if (keep.length) await sink.write(`${keep.join('\n')}\n`);
    }
    await view.done();
    await sink.end();
  } catch (err) {
    view.kill();
    sink.kill();
    throw err;
  }
  progress.finish(s.alignments);
  log(`${count(s.alignments)} mapped primary alignments; ${count(s.droppedClip)} dropped for a leading clip > ${o.maxClip} bp`);

  // 2. Pairs → fragments.
  log('pairing mates (bedtools bamtobed -bedpe -mate1)');
  const bedpe = spawnLines([bedtools, 'bamtobed', '-bedpe', '-mate1', '-i', f('filtered.namesorted.bam')], {
    log,
    quietStderr: (line) => {
      if (/marked as paired, but its mate does not occur/.test(line)) {
        s.brokenPairs++;
        return true;
      }
      return false;
    },
  });
  const fragmentsBed = new TextWriter(f('fragments.bed'), { gzip: false });
  const siteKeys = new TextWriter(f('sites.unsorted.tsv'), { gzip: false });
  try {
    let lineNo = 0;
    for await (const batch of bedpe.batches) for (const line of batch) {
      lineNo++;
      if (!line) continue;
      let rec;
      try {
        rec = parseBedpeLine(line);
      } catch (err) {
        if (err instanceof BedpeError) throw new InputError(`bedtools bamtobed output line ${lineNo}: ${err.message}`);
        throw err;
      }
      s.pairs++;
      const frag = fragmentOf(rec);
      if (!frag) {
        s.otherChromosome++;
        continue;
      }
      if (o.excludeContig && frag.chr.includes(o.excludeContig)) {
        s.excludedContig++;
        continue;
      }
      if (frag.end - frag.start >= o.maxFragment) {
        s.tooLong++;
        continue;
      }
      s.fragments++;
      await fragmentsBed.write(`${frag.chr}\t${frag.start}\t${frag.end}\t${frag.name}\t${frag.score}\t${frag.strand}\n`);
      await siteKeys.write(`${frag.chr}\t${frag.strand}\t${insertionSite(frag)}\t${frag.start}\t${frag.end}\n`);
    }
    await bedpe.done();
  } catch (err) {
    bedpe.kill();
    throw err;
  } finally {
    await fragmentsBed.close();
    await siteKeys.close();
  }
  log(`${count(s.pairs)} pairs; ${count(s.brokenPairs)} reads whose mate was filtered out; ${count(s.otherChromosome)} with mates on different chromosomes; ${count(s.excludedContig)} on contigs named like "${o.excludeContig}"; ${count(s.tooLong)} fragments ≥ ${o.maxFragment} bp`);
  log(`${count(s.fragments)} fragments`);

  // 3. Sorted sites → deduplicated, merged peaks, annotated.
  log(`merging sites within ${o.mergeDistance} bp on the same strand into peaks`);
  const sortedSites = spawnLines([sort, '-t', '\t', '-k1,1', '-k2,2', '-k3,3n', '-k4,4n', '-k5,5n', '-T', o.stepDir, f('sites.unsorted.tsv')], { log, env: sortEnv });
  const caller = new PeakCaller(o.mergeDistance);
  const unsorted = new TextWriter(f('peaks.unsorted.tsv'), { gzip: false });
  let keptUnique = 0;
  let keptReads = 0;
  const regions = new Map<Region | 'NA', number>();
  const emit = async (p: Peak) => {
    s.peaks++;
    s.uniqueFragments += p.nUniqueReads;
    const spike = spikes ? spikes.count(p.chr, p.strand, p.start, p.end, o.mergeDistance) : 0;
    const a = genes ? genes.annotate(p.chr, p.site, o.rule) : null;
    if (keepPeak(p)) {
      s.peaksKept++;
      keptUnique += p.nUniqueReads;
      keptReads += p.nReads;
      regions.set(a?.region ?? 'NA', (regions.get(a?.region ?? 'NA') ?? 0) + 1);
    }
    await unsorted.write(`${fmtPeakLine(p, '.', spike, a)}\n`);
  };
  try {
    for await (const batch of sortedSites.batches) for (const line of batch) {
      const [chr, strand, site, start, end] = line.split('\t');
      const closed = caller.push({ chr: chr as string, strand: strand === '-' ? '-' : '+', site: Number(site), start: Number(start), end: Number(end) });
      if (closed) await emit(closed);
    }
    await sortedSites.done();
    const last = caller.finish();
    if (last) await emit(last);
  } catch (err) {
    sortedSites.kill();
    throw err;
  } finally {
    await unsorted.close();
  }
  log(`${count(s.uniqueFragments)} distinct fragments in ${count(s.peaks)} peaks; ${count(s.peaksKept)} kept (nUniqueReads > 1 or nReads > 5)`);

  // 4. Peaks by nUniqueReads, nReads (descending) → peaks.tsv, peaks.kept.tsv, the results table.
  const ranked = spawnLines([sort, '-t', '\t', '-k5,5nr', '-k7,7nr', '-k1,1', '-k2,2n', '-k6,6', '-T', o.stepDir, f('peaks.unsorted.tsv')], { log, env: sortEnv });
  const all = new TextWriter(`${f('peaks.tsv')}.partial`, { gzip: false });
  const kept = new TextWriter(`${f('peaks.kept.tsv')}.partial`, { gzip: false });
  const MAX_ROWS = 1000;
  const rows: ResultTable['rows'] = [];
  const pct = (n: number, of: number) => (of > 0 ? round((100 * n) / of, 2) : 0);
  try {
    await all.write(`${PEAK_COLUMNS.join('\t')}\n`);
    await kept.write(`${PEAK_COLUMNS.join('\t')}\tpercent\tpercentAllReads\n`);
    let rank = 0;
    for await (const batch of ranked.batches) for (const line of batch) {
      const c = line.split('\t');
      rank++;
      c[3] = `peak_${rank}`;
      await all.write(`${c.join('\t')}\n`);
      const nUnique = Number(c[4]);
      const nReads = Number(c[6]);
      if (!keepPeak({ nUniqueReads: nUnique, nReads })) continue;
      const pu = pct(nUnique, keptUnique);
      const pa = pct(nReads, keptReads);
      await kept.write(`${c.join('\t')}\t${pu}\t${pa}\n`);
      if (rows.length < MAX_ROWS) {
        const na = (v: string | undefined) => (v === undefined || v === 'NA' ? null : v);
        const tss = na(c[9]);
        rows.push({
          name: c[3] as string,
          seqnames: c[0] as string,
          site: Number(c[11]),
          strand: c[5] as string,
          nUniqueReads: nUnique,
          nReads,
          percent: pu,
          percentAllReads: pa,
          nOverlapWithSpike: Number(c[7]),
          gene: na(c[8]),
          tss_distance: tss === null ? null : Number(tss),
          gene_region: na(c[10]),
          start: Number(c[1]),
          end: Number(c[2]),
        });
      }
    }
    await ranked.done();
  } catch (err) {
    ranked.kill();
    throw err;
  } finally {
    await all.close();
    await kept.close();
  }
  renameSync(`${f('peaks.tsv')}.partial`, f('peaks.tsv'));
  renameSync(`${f('peaks.kept.tsv')}.partial`, f('peaks.kept.tsv'));
  if (!o.keepIntermediate) for (const name of ['filtered.namesorted.bam', 'sites.unsorted.tsv', 'peaks.unsorted.tsv']) rmSync(f(name), { force: true });

  // 5. results.json
  const result: StepResult = emptyResult(o.stepDir, 'site_analysis');
  result.metrics.push(
    { label: 'Alignments considered', value: s.alignments },
    { label: 'Dropped: leading clip > ' + o.maxClip + ' bp', value: s.droppedClip },
    { label: 'Fragments', value: s.fragments },
    { label: 'Unique fragments', value: s.uniqueFragments },
    { label: 'Peaks', value: s.peaks },
    { label: 'Peaks kept', value: s.peaksKept, ...(s.peaksKept === 0 ? { verdict: 'warn' as const } : {}) },
    { label: 'Fragments too long (≥ ' + o.maxFragment + ' bp)', value: s.tooLong },
    { label: `Pairs on "${o.excludeContig}" contigs`, value: s.excludedContig },
    { label: 'Pairs with mates on different chromosomes', value: s.otherChromosome },
  );
  const columns: ResultTable['columns'] = [
    { key: 'name', label: 'Peak', type: 'text' },
    { key: 'seqnames', label: 'Chromosome', type: 'text' },
    { key: 'site', label: 'Site', type: 'number' },
    { key: 'strand', label: 'Strand', type: 'text' },
    { key: 'nUniqueReads', label: 'Unique fragments', type: 'number' },
    { key: 'nReads', label: 'Reads', type: 'number' },
    { key: 'percent', label: '% of unique', type: 'percent' },
    { key: 'percentAllReads', label: '% of all reads', type: 'percent' },
    { key: 'nOverlapWithSpike', label: 'Known sites', type: 'number' },
    { key: 'gene', label: 'Nearest gene', type: 'text' },
    { key: 'tss_distance', label: 'Distance to TSS', type: 'number' },
    { key: 'gene_region', label: 'Region', type: 'text' },
    { key: 'start', label: 'Peak start', type: 'number' },
    { key: 'end', label: 'Peak end', type: 'number' },
  ];
  result.files.push(
    resultFile(o.stepDir, f('peaks.kept.tsv'), 'Peaks kept (nUniqueReads > 1 or nReads > 5), with percentages', 'tsv'),
    resultFile(o.stepDir, f('peaks.tsv'), 'All peaks', 'tsv'),
    resultFile(o.stepDir, f('fragments.bed'), 'Fragments (BED)', 'other'),
  );
  result.tables.push({
    id: 'peaks',
    title: 'Integration sites (peaks kept)',
    columns,
    rows,
    ...(s.peaksKept > rows.length ? { truncated: s.peaksKept - rows.length } : {}),
    file: result.files[0]?.path,
  });
  const order: (Region | 'NA')[] = ['upstream', 'enhancer', 'promoter', 'inside', 'downstream', 'NA'];
  result.tables.push({
    id: 'regions',
    title: 'Peaks kept by gene region',
    columns: [
      { key: 'region', label: 'Region', type: 'text' },
      { key: 'peaks', label: 'Peaks', type: 'number' },
      { key: 'percent', label: '% of peaks kept', type: 'percent' },
    ],
    rows: order.filter((r) => regions.has(r)).map((r) => ({ region: r === 'NA' ? 'not annotated' : r, peaks: regions.get(r) ?? 0, percent: pct(regions.get(r) ?? 0, s.peaksKept) })),
  });
  writeStepResult(o.stepDir, result);
  return s;
}
