/** `benchtop qc FILE [--summary TSV]`: read QC of a FASTQ(.gz) or BAM, printed. */
import { InputError } from '../../pipelines/qslam/fastq';
import { count } from '../../pipelines/qslam/progress';
import { readQc, type ReadQcReport } from '../../nanopore/readqc/report';
import { printJson, table, type CliCommand } from '../context';

const num = (v: number | null, digits = 0): string => (v === null ? '-' : v.toLocaleString('en-US', { maximumFractionDigits: digits }));
const pct = (part: number, whole: number): string => (whole > 0 ? `${((100 * part) / whole).toFixed(2)} %` : '-');

export function qcLines(r: ReadQcReport): string[] {
  const m = r.metrics;
  const lines = [
    `${r.file} (${r.format.toUpperCase()}${r.gzip ? ', gzip' : ''})`,
    ...table(
      [
        ['Reads', count(m.reads)],
        ['Bases', count(m.bases)],
        ['N50', `${num(m.n50)} bp`],
        ['Mean length', `${num(m.meanLength, 1)} bp`],
        ['Median length', `${num(m.medianLength, 1)} bp`],
        ['Shortest – longest', m.minLength === null ? '-' : `${count(m.minLength)} – ${count(m.maxLength ?? 0)} bp`],
        ['Mean Q (probability-averaged)', num(m.meanQ, 2)],
        ...m.readsAtLeastQ.map((t) => [`Reads ≥ Q${t.q}`, `${count(t.reads)} (${pct(t.reads, m.reads)})`]),
        ...(m.emptyReads > 0 ? [['Empty reads', count(m.emptyReads)]] : []),
      ],
      '  ',
    ),
    '',
    'Length histogram (log bins)',
    ...table([['from', 'to', 'reads', 'bases'], ...m.lengthHistogram.filter((b) => b.reads > 0).map((b) => [b.from, b.to, count(b.reads), count(b.bases)])], '  '),
  ];
  const s = r.summary;
  if (s) {
    lines.push(
      '',
      `Sequencing summary ${s.file}`,
      ...table(
        [
          ['Reads', count(s.reads)],
          ['Bases', count(s.bases)],
          ...(s.passedReads === null ? [] : [['Passed filtering', `${count(s.passedReads)} (${pct(s.passedReads, s.reads)})`]]),
          ['Active channels', count(s.activeChannels)],
          ['Run length', `${s.runHours.toFixed(2)} h`],
        ],
        '  ',
      ),
    );
    if (s.endReasons) lines.push('', 'End reasons', ...table(s.endReasons.map((e) => [e.endReason, count(e.reads), pct(e.reads, s.reads)]), '  '));
    lines.push('', `Yield over time (${s.binMinutes} min bins)`, ...table([['hour', 'reads', 'bases', 'channels'], ...s.timeBins.map((b) => [b.startHours.toFixed(2), count(b.reads), count(b.bases), b.activeChannels])], '  '));
  }
  return lines;
}

export const qcCommand: CliCommand = {
  words: ['qc'],
  usage: 'benchtop qc FILE [--summary TSV]',
  summary: 'Read QC of a FASTQ(.gz) or unaligned BAM: reads, bases, N50, mean/median length, mean Q (probability-averaged), reads ≥ Q10/15/20, log length histogram; with a sequencing summary also yield over time, active channels, end reasons',
  options: { summary: { type: 'string' } },
  run: async (ctx, values, args) => {
    if (args.length !== 1) throw new InputError('give exactly one FASTQ or BAM file');
    const report = await readQc(args[0]!, typeof values.summary === 'string' && values.summary !== '' ? values.summary : undefined);
    if (ctx.json) printJson(ctx, report);
    else for (const line of qcLines(report)) ctx.out(line);
  },
};
