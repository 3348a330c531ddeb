/**
 * `benchtop builtin read_qc`: read QC of a FASTQ(.gz) or BAM, with a sequencing summary when there
 * is one. Writes readqc_lengths.tsv (the log-binned length histogram), readqc_yield.tsv (with a
 * summary) and results.json (metrics, tables, plots) into the step dir.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StepResult } from '../../../shared/schemas/results';
import { emptyResult, resultFile, round, writeStepResult } from '../../results/files';
import { InputError } from '../../pipelines/qslam/fastq';
import { count, type Log } from '../../pipelines/qslam/progress';
import { readQcLogged, type ReadQcReport } from './report';

export interface ReadQcStepOptions {
  input: string;
  summary?: string | undefined;
  stepDir: string;
}

const pct = (part: number, whole: number): number | null => (whole > 0 ? round((100 * part) / whole, 2) : null);

function writeTsv(path: string, header: string[], rows: Array<Array<string | number>>): void {
  writeFileSync(`${path}.partial`, [header, ...rows].map((r) => r.join('\t')).join('\n') + '\n');
  renameSync(`${path}.partial`, path);
}

/** results.json's content for a report (the files are listed by the caller). */
export function readQcResult(stepDir: string, report: ReadQcReport): StepResult {
  const m = report.metrics;
  const result = emptyResult(stepDir, 'read_qc');
  const len = (v: number | null) => (v === null ? null : round(v, 1));
  result.metrics.push(
    { label: 'Reads', value: m.reads },
    { label: 'Bases', value: m.bases },
    { label: 'N50', value: m.n50, unit: 'bp' },
    { label: 'Mean length', value: len(m.meanLength), unit: 'bp' },
    { label: 'Median length', value: len(m.medianLength), unit: 'bp' },
    { label: 'Shortest – longest', value: m.minLength === null ? null : `${count(m.minLength)} – ${count(m.maxLength ?? 0)}`, unit: 'bp' },
    { label: 'Mean Q (prob.-avg.)', value: m.meanQ === null ? null : round(m.meanQ, 2) },
    ...m.readsAtLeastQ.map((t) => ({ label: `Reads ≥ Q${t.q}`, value: t.fraction === null ? null : `${count(t.reads)} (${pct(t.reads, m.reads)} %)` })),
  );
  if (m.emptyReads > 0) result.metrics.push({ label: 'Empty reads', value: m.emptyReads, verdict: 'warn' });
  result.tables.push({
    id: 'read_lengths',
    title: 'Reads per length bin (log-spaced)',
    columns: [
      { key: 'from', label: 'From (bp)', type: 'number' },
      { key: 'to', label: 'To (bp)', type: 'number' },
      { key: 'reads', label: 'Reads', type: 'number' },
      { key: 'bases', label: 'Bases', type: 'number' },
      { key: 'percent', label: '% of bases', type: 'percent' },
    ],
    rows: m.lengthHistogram.map((b) => ({ from: b.from, to: b.to, reads: b.reads, bases: b.bases, percent: pct(b.bases, m.bases) })),
  });
  result.plots.push(
    {
      id: 'read_length_histogram',
      title: 'Read-length distribution',
      kind: 'histogram',
      xLabel: 'Read length (bp, log)',
      yLabel: 'Reads',
      logX: true,
      // Each bar at its bin's geometric centre, so bars sit where their lengths are on the log axis.
      x: m.lengthHistogram.map((b) => round(Math.sqrt(b.from * (b.to + 1)), 1)),
      series: [{ name: 'Reads', y: m.lengthHistogram.map((b) => b.reads) }],
    },
    {
      id: 'read_q_histogram',
      title: 'Per-read mean Q',
      kind: 'histogram',
      xLabel: 'Mean Q of the read (probability-averaged)',
      yLabel: 'Reads',
      x: m.qHistogram.map((b) => b.from),
      series: [{ name: 'Reads', y: m.qHistogram.map((b) => b.reads) }],
    },
  );
  const s = report.summary;
  if (s) {
    result.metrics.push(
      { label: 'Summary reads', value: s.reads },
      { label: 'Summary bases', value: s.bases },
      ...(s.passedReads === null ? [] : [{ label: 'Passed filtering', value: `${count(s.passedReads)} (${pct(s.passedReads, s.reads)} %)` }]),
      { label: 'Active channels', value: s.activeChannels },
      { label: 'Run length', value: round(s.runHours, 2), unit: 'h' },
    );
    if (s.endReasons) {
      result.tables.push({
        id: 'end_reasons',
        title: 'End reasons',
        columns: [
          { key: 'end_reason', label: 'End reason', type: 'text' },
          { key: 'reads', label: 'Reads', type: 'number' },
          { key: 'percent', label: '% of reads', type: 'percent' },
          { key: 'bases', label: 'Bases', type: 'number' },
        ],
        rows: s.endReasons.map((r) => ({ end_reason: r.endReason, reads: r.reads, percent: round(100 * r.fraction, 2), bases: r.bases })),
      });
    }
    const hours = s.timeBins.map((b) => round(b.startHours, 4));
    result.plots.push(
      {
        id: 'yield_over_time',
        title: `Yield over time (bases per ${s.binMinutes} min)`,
        kind: 'bar',
        xLabel: 'Hours since the start of the run',
        yLabel: 'Bases',
        x: hours,
        series: [{ name: 'Bases', y: s.timeBins.map((b) => b.bases) }],
      },
      {
        id: 'active_channels',
        title: `Active channels (per ${s.binMinutes} min)`,
        kind: 'line',
        xLabel: 'Hours since the start of the run',
        yLabel: 'Channels',
        x: hours,
        series: [{ name: 'Channels', y: s.timeBins.map((b) => b.activeChannels) }],
      },
    );
  }
  return result;
}

export async function runReadQcStep(o: ReadQcStepOptions, log: Log): Promise<ReadQcReport> {
  if (!existsSync(o.input)) throw new InputError(`${o.input}: file not found`);
  if (o.summary && !existsSync(o.summary)) throw new InputError(`${o.summary}: file not found`);
  mkdirSync(o.stepDir, { recursive: true });
  const lengthsTsv = join(o.stepDir, 'readqc_lengths.tsv');
  const yieldTsv = join(o.stepDir, 'readqc_yield.tsv');
  for (const f of [lengthsTsv, yieldTsv, join(o.stepDir, 'results.json')]) rmSync(f, { force: true });

  const report = await readQcLogged(o.input, o.summary, log);
  const m = report.metrics;
  writeTsv(lengthsTsv, ['from', 'to', 'reads', 'bases'], m.lengthHistogram.map((b) => [b.from, b.to, b.reads, b.bases]));
  const result = readQcResult(o.stepDir, report);
  result.files.push(resultFile(o.stepDir, lengthsTsv, 'Length histogram (TSV)', 'tsv'));
  result.tables[0]!.file = result.files[0]!.path;
  if (report.summary) {
    writeTsv(yieldTsv, ['start_hours', 'reads', 'bases', 'active_channels'], report.summary.timeBins.map((b) => [round(b.startHours, 4), b.reads, b.bases, b.activeChannels]));
    result.files.push(resultFile(o.stepDir, yieldTsv, 'Yield over time (TSV)', 'tsv'));
  }
  writeStepResult(o.stepDir, result);
  log(`mean Q ${m.meanQ === null ? '-' : m.meanQ.toFixed(2)}; ${m.readsAtLeastQ.map((t) => `≥Q${t.q}: ${count(t.reads)}`).join(', ')}`);
  return report;
}
