/** `samtools flagstat` text output → figures and a StepResult. */
import { basename } from 'node:path';
import type { StepResult } from '../../shared/schemas/results';
import { emptyResult, resultFile } from './files';
import { ReportError, findFiles, percent, readReportText } from './report';

export interface FlagstatLine {
  label: string;
  passed: number;
  failed: number;
  /** The percentage flagstat printed for QC-passed reads, when it printed one. */
  percent: number | null;
}

export interface Flagstat {
  lines: FlagstatLine[];
  total: number;
  mapped: number;
  mappedPercent: number | null;
  paired: number;
  properlyPaired: number;
  properlyPairedPercent: number | null;
  bothMapped: number;
  singletons: number;
  singletonsPercent: number | null;
  secondary: number;
  supplementary: number;
  duplicates: number;
  mateOnOtherChr: number;
}

const LINE = /^(\d+) \+ (\d+) (.*)$/;
/** "mapped (99.50% : N/A)" (samtools ≥ 1.10) or "mapped (99.50%:-nan%)" (older). */
const PCT = /^(.*?)\s*\(([0-9.]+|N\/A|-?nan)%?\s*:[^)]*\)$/;

export function parseFlagstat(text: string, file: string): Flagstat {
  const lines: FlagstatLine[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const m = LINE.exec(line);
    if (!m) throw new ReportError(file, `not samtools flagstat output (line ${JSON.stringify(line.slice(0, 60))})`);
    const rest = m[3] as string;
    const p = PCT.exec(rest);
    const value = p ? Number(p[2]) : NaN;
    lines.push({ label: p ? (p[1] as string) : rest, passed: Number(m[1]), failed: Number(m[2]), percent: Number.isFinite(value) ? value : null });
  }
  const get = (label: string) => lines.find((l) => l.label === label);
  const total = get('in total (QC-passed reads + QC-failed reads)');
  if (!total) throw new ReportError(file, 'not samtools flagstat output (no "in total" line)');
  const n = (label: string) => get(label)?.passed ?? 0;
  const paired = n('paired in sequencing');
  return {
    lines,
    total: total.passed,
    mapped: n('mapped'),
    mappedPercent: get('mapped')?.percent ?? percent(n('mapped'), total.passed),
    paired,
    properlyPaired: n('properly paired'),
    properlyPairedPercent: get('properly paired')?.percent ?? percent(n('properly paired'), paired),
    bothMapped: n('with itself and mate mapped'),
    singletons: n('singletons'),
    singletonsPercent: get('singletons')?.percent ?? percent(n('singletons'), paired),
    secondary: n('secondary'),
    supplementary: n('supplementary'),
    duplicates: n('duplicates'),
    mateOnOtherChr: n('with mate mapped to a different chr'),
  };
}

/** Metrics and the full table of a flagstat (no files: the caller adds them). */
export function flagstatResult(s: Flagstat): Pick<StepResult, 'metrics' | 'tables'> {
  return {
    metrics: [
      { label: 'Reads (total)', value: s.total },
      { label: 'Mapped', value: s.mapped },
      { label: 'Mapped', value: s.mappedPercent, unit: '%', ...(s.mappedPercent === null ? {} : { verdict: s.mappedPercent >= 80 ? 'pass' : s.mappedPercent >= 50 ? 'warn' : 'fail' }) },
      { label: 'Properly paired', value: s.properlyPairedPercent, unit: '%' },
      { label: 'Singletons', value: s.singletonsPercent, unit: '%' },
      { label: 'Mate on another chromosome', value: s.mateOnOtherChr },
      { label: 'Secondary + supplementary', value: s.secondary + s.supplementary },
      { label: 'Duplicates (flagged)', value: s.duplicates },
    ],
    tables: [
      {
        id: 'flagstat',
        title: 'samtools flagstat',
        columns: [
          { key: 'category', label: 'Category', type: 'text' },
          { key: 'passed', label: 'QC-passed', type: 'number' },
          { key: 'failed', label: 'QC-failed', type: 'number' },
          { key: 'percent', label: '% of QC-passed', type: 'percent' },
        ],
        rows: s.lines.map((l) => ({ category: l.label, passed: l.passed, failed: l.failed, percent: l.percent })),
      },
    ],
  };
}

/** The `flagstat` results parser: `flagstat.txt` (or `*.flagstat*`) in the step dir. */
export function parseFlagstatStep(stepDir: string): StepResult | null {
  const file = findFiles(stepDir, (name) => name === 'flagstat.txt' || /flagstat/i.test(name), 1)[0];
  if (!file) return null;
  const s = parseFlagstat(readReportText(file), file);
  const result = emptyResult(stepDir);
  const r = flagstatResult(s);
  result.metrics.push(...r.metrics);
  result.tables.push(...r.tables);
  result.files.push(resultFile(stepDir, file, `samtools flagstat (${basename(file)})`, 'text'));
  for (const bam of findFiles(stepDir, (name) => name.endsWith('.bam'), 0)) result.files.push(resultFile(stepDir, bam, basename(bam), 'bam'));
  return result;
}
