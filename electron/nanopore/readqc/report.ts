/** The read QC of a file (and its sequencing summary, when given): what `benchtop qc` and the read_qc step compute. */
import { count, type Log, Progress } from '../../pipelines/qslam/progress';
import { readQcFile, type ReadQcFileResult } from './readFile';
import { readSequencingSummary, type SummaryMetrics } from './summary';

export interface ReadQcReport extends ReadQcFileResult {
  summary: SummaryMetrics | null;
}

export async function readQc(file: string, summary: string | undefined, onProgress?: (bytes: number, total: number) => void): Promise<ReadQcReport> {
  const reads = await readQcFile(file, onProgress);
  return { ...reads, summary: summary ? await readSequencingSummary(summary) : null };
}

/** readQc with log lines and `##progress` lines in bytes of the input, for a job's log. */
export async function readQcLogged(file: string, summary: string | undefined, log: Log): Promise<ReadQcReport> {
  const progress = new Progress(log, 'bytes');
  log(`reading ${file}`);
  let size = 0;
  const report = await readQc(file, undefined, (done, total) => {
    size = total;
    progress.setTotal(total);
    progress.update(done);
  });
  progress.finish(size);
  const m = report.metrics;
  log(`${report.format.toUpperCase()}${report.gzip ? ' (gzip)' : ''}: ${count(m.reads)} reads, ${count(m.bases)} bases, N50 ${m.n50 ?? '-'}`);
  if (summary) {
    log(`reading the sequencing summary ${summary}`);
    report.summary = await readSequencingSummary(summary);
    log(`summary: ${count(report.summary.reads)} reads on ${count(report.summary.activeChannels)} channels over ${report.summary.runHours.toFixed(2)} h`);
  }
  return report;
}
