/**
 * The `fastqc` results parser: every FastQC report under the step dir (e.g. qc/before/, qc/after/),
 * from `<name>_fastqc/summary.txt` when extracted, else from `<name>_fastqc.zip`. Gives the module ×
 * file table of PASS/WARN/FAIL verdicts, one metric per report, and links the HTML reports.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { StepResult } from '../../shared/schemas/results';
import { emptyResult, resultFile } from './files';
import { ReportError, findFiles, readReportText } from './report';
import { listZip } from './zip';

type Verdict = 'PASS' | 'WARN' | 'FAIL';

export interface FastqcReport {
  /** "R1.fastq.gz", or "after/R1.trimmed.fastq.gz" when the report sits in a subfolder. */
  label: string;
  modules: { module: string; verdict: Verdict }[];
  totalSequences: number | null;
  sequenceLength: string | null;
  gc: number | null;
  /** The HTML report beside it, when present. */
  html: string | null;
  source: string;
}

export function parseFastqcSummary(text: string, file: string): { modules: FastqcReport['modules']; fileName: string | null } {
  const modules: FastqcReport['modules'] = [];
  let fileName: string | null = null;
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (!line.trim()) return;
    const [verdict, module, name] = line.split('\t');
    if ((verdict !== 'PASS' && verdict !== 'WARN' && verdict !== 'FAIL') || !module) {
      throw new ReportError(file, `line ${i + 1} is not "PASS|WARN|FAIL<tab>module<tab>file" (${JSON.stringify(line.slice(0, 60))})`);
    }
    modules.push({ module, verdict });
    fileName ??= name ?? null;
  });
  if (modules.length === 0) throw new ReportError(file, 'empty FastQC summary');
  return { modules, fileName };
}

export function parseFastqcData(text: string): { totalSequences: number | null; sequenceLength: string | null; gc: number | null } {
  const field = (name: string) => new RegExp(`^${name.replace(/[%]/g, '\\$&')}\\t(.*)$`, 'm').exec(text)?.[1]?.trim() ?? null;
  const total = field('Total Sequences');
  const gc = field('%GC');
  return { totalSequences: total === null ? null : Number(total), sequenceLength: field('Sequence length'), gc: gc === null ? null : Number(gc) };
}

export function findFastqcReports(stepDir: string): FastqcReport[] {
  const reports: FastqcReport[] = [];
  const where = (path: string) => {
    const rel = relative(stepDir, dirname(path)).split(sep).join('/');
    return rel && rel !== '.' ? `${rel}/` : '';
  };
  // Extracted reports.
  for (const summary of findFiles(stepDir, (name, path) => name === 'summary.txt' && basename(dirname(path)).endsWith('_fastqc'), 3)) {
    const dir = dirname(summary);
    const { modules, fileName } = parseFastqcSummary(readReportText(summary), summary);
    const dataFile = join(dir, 'fastqc_data.txt');
    const data = existsSync(dataFile) ? parseFastqcData(readReportText(dataFile)) : { totalSequences: null, sequenceLength: null, gc: null };
    const html = `${dir}.html`;
    reports.push({ label: `${where(dir)}${fileName ?? basename(dir).replace(/_fastqc$/, '')}`, modules, ...data, html: existsSync(html) ? html : null, source: summary });
  }
  // Zips not extracted.
  for (const zip of findFiles(stepDir, (name) => name.endsWith('_fastqc.zip'), 2)) {
    const base = zip.slice(0, -'.zip'.length);
    if (existsSync(join(base, 'summary.txt'))) continue;
    const members = listZip(zip);
    const summaryName = [...members.keys()].find((n) => n.endsWith('/summary.txt') || n === 'summary.txt');
    if (!summaryName) throw new ReportError(zip, 'no summary.txt inside: not a FastQC report archive');
    const { modules, fileName } = parseFastqcSummary((members.get(summaryName) as () => Buffer)().toString('utf8'), `${zip}:${summaryName}`);
    const dataName = summaryName.replace(/summary\.txt$/, 'fastqc_data.txt');
    const data = members.has(dataName) ? parseFastqcData((members.get(dataName) as () => Buffer)().toString('utf8')) : { totalSequences: null, sequenceLength: null, gc: null };
    const html = `${base}.html`;
    reports.push({ label: `${where(zip)}${fileName ?? basename(base).replace(/_fastqc$/, '')}`, modules, ...data, html: existsSync(html) ? html : null, source: zip });
  }
  return reports.sort((a, b) => a.label.localeCompare(b.label));
}

const WORST: Record<Verdict, number> = { PASS: 0, WARN: 1, FAIL: 2 };

export function parseFastqcStep(stepDir: string): StepResult | null {
  const reports = findFastqcReports(stepDir);
  if (reports.length === 0) return null;
  const result = emptyResult(stepDir);
  for (const r of reports) {
    const n = (v: Verdict) => r.modules.filter((m) => m.verdict === v).length;
    const worst = r.modules.reduce((w, m) => (WORST[m.verdict] > WORST[w] ? m.verdict : w), 'PASS' as Verdict);
    result.metrics.push({ label: r.label, value: `${n('PASS')} pass · ${n('WARN')} warn · ${n('FAIL')} fail`, verdict: worst.toLowerCase() as 'pass' | 'warn' | 'fail' });
    if (r.totalSequences !== null) result.metrics.push({ label: `${r.label}: sequences`, value: r.totalSequences });
  }
  const modules: string[] = [];
  for (const r of reports) for (const m of r.modules) if (!modules.includes(m.module)) modules.push(m.module);
  result.tables.push({
    id: 'fastqc_modules',
    title: 'FastQC modules',
    columns: [{ key: 'module', label: 'Module', type: 'text' }, ...reports.map((r, i) => ({ key: `f${i}`, label: r.label, type: 'text' as const }))],
    rows: modules.map((module) => ({ module, ...Object.fromEntries(reports.map((r, i) => [`f${i}`, r.modules.find((m) => m.module === module)?.verdict ?? null])) })),
  });
  result.tables.push({
    id: 'fastqc_basic',
    title: 'Basic statistics',
    columns: [
      { key: 'file', label: 'File', type: 'text' },
      { key: 'sequences', label: 'Sequences', type: 'number' },
      { key: 'length', label: 'Sequence length', type: 'text' },
      { key: 'gc', label: '%GC', type: 'number' },
    ],
    rows: reports.map((r) => ({ file: r.label, sequences: r.totalSequences, length: r.sequenceLength, gc: r.gc })),
  });
  for (const r of reports) {
    if (r.html) result.files.push(resultFile(stepDir, r.html, `FastQC report: ${r.label}`, 'html'));
    else if (r.source.endsWith('.zip')) result.files.push(resultFile(stepDir, r.source, `FastQC archive: ${r.label}`, 'other'));
  }
  return result;
}
