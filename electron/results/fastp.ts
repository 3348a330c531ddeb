/** The `fastp` results parser: fastp's `--json` report (and its HTML report) in the step dir. */
import { basename } from 'node:path';
import type { StepResult } from '../../shared/schemas/results';
import { emptyResult, resultFile, round } from './files';
import { ReportError, findFiles, isObject, num, readJson, tryJson } from './report';

const isFastp = (v: unknown) => isObject(v) && isObject(v.summary) && isObject(v.summary.before_filtering);

export interface FastpFigures {
  version: string | null;
  before: { reads: number; bases: number | null; q20: number | null; q30: number | null; gc: number | null };
  after: { reads: number | null; bases: number | null; q20: number | null; q30: number | null; gc: number | null };
  duplication: number | null;
  adapterTrimmedReads: number | null;
  passed: number | null;
  lowQuality: number | null;
  tooShort: number | null;
  tooManyN: number | null;
}

export function parseFastpReport(value: unknown, file: string): FastpFigures {
  if (!isFastp(value)) throw new ReportError(file, 'not a fastp JSON report (no summary.before_filtering)');
  const reads = num(value, 'summary', 'before_filtering', 'total_reads');
  if (reads === null) throw new ReportError(file, 'fastp report without summary.before_filtering.total_reads');
  const side = (s: string) => ({
    bases: num(value, 'summary', s, 'total_bases'),
    q20: num(value, 'summary', s, 'q20_rate'),
    q30: num(value, 'summary', s, 'q30_rate'),
    gc: num(value, 'summary', s, 'gc_content'),
  });
  const v = value as { summary: Record<string, unknown> };
  return {
    version: typeof v.summary.fastp_version === 'string' ? v.summary.fastp_version : null,
    before: { reads, ...side('before_filtering') },
    after: { reads: num(value, 'summary', 'after_filtering', 'total_reads'), ...side('after_filtering') },
    duplication: num(value, 'duplication', 'rate'),
    adapterTrimmedReads: num(value, 'adapter_cutting', 'adapter_trimmed_reads'),
    passed: num(value, 'filtering_result', 'passed_filter_reads'),
    lowQuality: num(value, 'filtering_result', 'low_quality_reads'),
    tooShort: num(value, 'filtering_result', 'too_short_reads'),
    tooManyN: num(value, 'filtering_result', 'too_many_N_reads'),
  };
}

const pct = (rate: number | null) => (rate === null ? null : round(rate * 100, 2));

export function parseFastpStep(stepDir: string): StepResult | null {
  const json = findFiles(stepDir, (name) => name.endsWith('.json') && name !== 'results.json', 1);
  const preferred = json.filter((p) => /fastp/i.test(basename(p)));
  const file = [...preferred, ...json.filter((p) => !preferred.includes(p))].find((p) => tryJson(p, isFastp));
  if (!file) {
    const named = preferred[0];
    if (named) parseFastpReport(readJson(named), named); // corrupt: throws naming it
    return null;
  }
  const f = parseFastpReport(readJson(file), file);
  const result = emptyResult(stepDir);
  result.metrics.push(
    { label: 'Reads before filtering', value: f.before.reads },
    { label: 'Reads after filtering', value: f.after.reads },
    { label: 'Q20 bases before', value: pct(f.before.q20), unit: '%' },
    { label: 'Q30 bases before', value: pct(f.before.q30), unit: '%' },
    { label: 'Q30 bases after', value: pct(f.after.q30), unit: '%', ...(f.after.q30 === null ? {} : { verdict: f.after.q30 >= 0.8 ? ('pass' as const) : f.after.q30 >= 0.6 ? ('warn' as const) : ('fail' as const) }) },
    { label: 'Duplication rate', value: pct(f.duplication), unit: '%' },
    { label: 'Reads with adapter trimmed', value: f.adapterTrimmedReads },
    { label: 'Low-quality reads removed', value: f.lowQuality },
    { label: 'Too-short reads removed', value: f.tooShort },
  );
  result.tables.push({
    id: 'fastp_summary',
    title: 'fastp: before and after filtering',
    columns: [
      { key: 'what', label: '', type: 'text' },
      { key: 'before', label: 'Before', type: 'number' },
      { key: 'after', label: 'After', type: 'number' },
    ],
    rows: [
      { what: 'Reads', before: f.before.reads, after: f.after.reads },
      { what: 'Bases', before: f.before.bases, after: f.after.bases },
      { what: 'Q20 bases (%)', before: pct(f.before.q20), after: pct(f.after.q20) },
      { what: 'Q30 bases (%)', before: pct(f.before.q30), after: pct(f.after.q30) },
      { what: 'GC (%)', before: pct(f.before.gc), after: pct(f.after.gc) },
    ],
  });
  result.files.push(resultFile(stepDir, file, `fastp report (fastp ${f.version ?? '?'})`, 'json'));
  for (const html of findFiles(stepDir, (name) => name.endsWith('.html'), 1)) result.files.push(resultFile(stepDir, html, `fastp report (${basename(html)})`, 'html'));
  return result;
}
