/** The `cutadapt` results parser: cutadapt's `--json` report in the step dir. */
import { basename } from 'node:path';
import type { StepResult } from '../../shared/schemas/results';
import { emptyResult, resultFile } from './files';
import { ReportError, findFiles, isObject, num, percent, readJson, tryJson } from './report';

const isCutadapt = (v: unknown) => isObject(v) && v.tag === 'Cutadapt report';

export function cutadaptReportFile(stepDir: string): string | null {
  // Prefer the usual names, then any JSON that says it is a cutadapt report.
  const json = findFiles(stepDir, (name) => name.endsWith('.json') && name !== 'results.json', 1);
  const preferred = json.filter((p) => /cutadapt/i.test(basename(p)));
  for (const p of [...preferred, ...json.filter((p) => !preferred.includes(p))]) if (tryJson(p, isCutadapt)) return p;
  return null;
}

export interface CutadaptFigures {
  paired: boolean;
  input: number;
  output: number;
  tooShort: number | null;
  read1WithAdapter: number | null;
  read2WithAdapter: number | null;
  basesIn: number | null;
  basesOut: number | null;
  version: string | null;
}

export function parseCutadaptReport(value: unknown, file: string): CutadaptFigures {
  if (!isCutadapt(value)) throw new ReportError(file, 'not a cutadapt JSON report (no "tag": "Cutadapt report")');
  const input = num(value, 'read_counts', 'input');
  const output = num(value, 'read_counts', 'output');
  if (input === null || output === null) throw new ReportError(file, 'cutadapt report without read_counts.input/output');
  const v = value as Record<string, unknown>;
  return {
    paired: isObject(v.input) && v.input.paired === true,
    input,
    output,
    tooShort: num(value, 'read_counts', 'filtered', 'too_short'),
    read1WithAdapter: num(value, 'read_counts', 'read1_with_adapter'),
    read2WithAdapter: num(value, 'read_counts', 'read2_with_adapter'),
    basesIn: num(value, 'basepair_counts', 'input'),
    basesOut: num(value, 'basepair_counts', 'output'),
    version: typeof v.cutadapt_version === 'string' ? v.cutadapt_version : null,
  };
}

export function parseCutadaptStep(stepDir: string): StepResult | null {
  const file = cutadaptReportFile(stepDir);
  if (!file) {
    // A JSON named like a cutadapt report that does not parse is a corrupt report, not a missing one.
    const named = findFiles(stepDir, (name) => /cutadapt.*\.json$/i.test(name), 1)[0];
    if (named) parseCutadaptReport(readJson(named), named);
    return null;
  }
  const c = parseCutadaptReport(readJson(file), file);
  const unit = c.paired ? 'Read pairs' : 'Reads';
  const result = emptyResult(stepDir);
  result.metrics.push(
    { label: `${unit} processed`, value: c.input },
    { label: c.paired ? 'Read 1 with adapter' : 'Reads with adapter', value: c.read1WithAdapter },
    { label: c.paired ? 'Read 1 with adapter' : 'Reads with adapter', value: percent(c.read1WithAdapter, c.input), unit: '%' },
  );
  if (c.paired) result.metrics.push({ label: 'Read 2 with adapter', value: c.read2WithAdapter }, { label: 'Read 2 with adapter', value: percent(c.read2WithAdapter, c.input), unit: '%' });
  const kept = percent(c.output, c.input);
  result.metrics.push(
    { label: `${unit} too short`, value: c.tooShort },
    { label: `${unit} written (passing filters)`, value: c.output },
    { label: `${unit} written`, value: kept, unit: '%', ...(kept === null ? {} : { verdict: kept >= 50 ? ('pass' as const) : kept >= 20 ? ('warn' as const) : ('fail' as const) }) },
    { label: 'Base pairs written', value: percent(c.basesOut, c.basesIn), unit: '%' },
  );
  result.tables.push({
    id: 'cutadapt_counts',
    title: 'cutadapt',
    columns: [
      { key: 'what', label: '', type: 'text' },
      { key: 'count', label: 'Count', type: 'number' },
      { key: 'percent', label: '% of processed', type: 'percent' },
    ],
    rows: [
      { what: `${unit} processed`, count: c.input, percent: 100 },
      { what: c.paired ? 'Read 1 with adapter' : 'Reads with adapter', count: c.read1WithAdapter, percent: percent(c.read1WithAdapter, c.input) },
      ...(c.paired ? [{ what: 'Read 2 with adapter', count: c.read2WithAdapter, percent: percent(c.read2WithAdapter, c.input) }] : []),
      { what: `${unit} too short`, count: c.tooShort, percent: percent(c.tooShort, c.input) },
      { what: `${unit} written (passing filters)`, count: c.output, percent: kept },
    ],
  });
  result.files.push(resultFile(stepDir, file, `cutadapt report (cutadapt ${c.version ?? '?'})`, 'json'));
  for (const fq of findFiles(stepDir, (name) => /\.f(ast)?q(\.gz)?$/.test(name), 0)) result.files.push(resultFile(stepDir, fq, basename(fq), 'fastq'));
  return result;
}
