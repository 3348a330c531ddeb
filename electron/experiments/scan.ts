import type { Dirent } from 'node:fs';
import { readFile, readdir, realpath, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { DiscoveredRun, ExperimentWarning, RunState } from '../../shared/schemas/experiments';
import {
  EMPTY_METADATA,
  mergeMetadata,
  metadataFromFolderName,
  metadataFromReport,
  parseRunFolderName,
  safeExpId,
  type RunMetadata,
} from './minknow';
import { MAX_FINAL_SUMMARY_BYTES, MAX_REPORT_BYTES, checkReportMetadata, finalSummaryTooLarge, readFinalSummary, type FinalSummaryReading } from './runFileChecks';

export interface ScanCounts {
  foldersScanned: number;
  runsFound: number;
}

export interface ScanOptions {
  /** Called after every folder (the caller throttles). */
  onProgress?: (counts: ScanCounts) => void;
  onRun?: (run: DiscoveredRun) => void;
  /** A run without final_summary whose files changed this recently is in progress (default 1 h). */
  recentMs?: number;
  now?: number;
  /** How deep below each given folder to look for runs (default 8). */
  maxDepth?: number;
}

const FINAL_SUMMARY = /^final_summary_.*\.txt$/;
const REPORT = /^report_.*\.json$/;
/** MinKNOW's POD5 output folders; barcoded runs put barcodeNN/ and unclassified/ inside them. */
const POD5_DIR = /^pod5(_pass|_fail|_skip)?$/;
const BARCODE_DIR = /^barcode\d+$/;
/** Output folders of a run that never hold another run. */
const NOT_RUNS = /^(pod5|fast5|fastq|bam)(_pass|_fail|_skip)?$|^other_reports$/;

/** Scan folders for MinKNOW runs; a run folder is not looked into for further runs. */
export async function scanForRuns(dirs: readonly string[], options: ScanOptions = {}): Promise<ScanCounts & { runs: DiscoveredRun[] }> {
  const counts: ScanCounts = { foldersScanned: 0, runsFound: 0 };
  const runs: DiscoveredRun[] = [];
  const seen = new Set<string>();
  const now = options.now ?? Date.now();
  const recentMs = options.recentMs ?? 3600_000;
  const maxDepth = options.maxDepth ?? 8;

  async function visit(dir: string, depth: number): Promise<void> {
    let real: string;
    try {
      real = await realpath(dir);
    } catch {
      return;
    }
    if (seen.has(real)) return;
    seen.add(real);
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // unreadable folder: not ours to judge
    }
    counts.foldersScanned += 1;
    const subdirs: string[] = [];
    for (const e of entries) if (await isDir(dir, e)) subdirs.push(e.name);
    const files = entries.filter((e) => e.isFile()).map((e) => e.name);
    const isRun =
      files.some((f) => FINAL_SUMMARY.test(f) || REPORT.test(f)) ||
      subdirs.some((d) => POD5_DIR.test(d)) ||
      parseRunFolderName(basename(dir)) !== null;
    if (isRun) {
      const run = await describeRun(dir, files, subdirs, { now, recentMs });
      counts.runsFound += 1;
      runs.push(run);
      options.onRun?.(run);
      options.onProgress?.({ ...counts });
      return;
    }
    options.onProgress?.({ ...counts });
    if (depth >= maxDepth) return;
    for (const name of subdirs.sort()) {
      if (name.startsWith('.') || NOT_RUNS.test(name)) continue;
      await visit(join(dir, name), depth + 1);
    }
  }

  for (const dir of dirs) await visit(resolve(dir), 0);
  return { ...counts, runs };
}

async function isDir(parent: string, e: Dirent): Promise<boolean> {
  if (e.isDirectory()) return true;
  if (!e.isSymbolicLink()) return false;
  try {
    return (await stat(join(parent, e.name))).isDirectory();
  } catch {
    return false;
  }
}

/** The file's bytes; its size alone when larger than `max` (not read); null when it cannot be read. */
async function readBounded(file: string, max: number): Promise<Buffer | number | null> {
  try {
    const { size } = await stat(file);
    if (size > max) return size;
    return await readFile(file);
  } catch {
    return null;
  }
}

async function mtime(path: string): Promise<number> {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return 0;
  }
}

/** *.pod5 files under a folder (barcoded subfolders included), the barcode folders, and the newest change. */
async function countPod5(dir: string, barcodes: Set<string>): Promise<{ files: number; newest: number }> {
  let files = 0;
  let newest = await mtime(dir);
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return { files, newest };
  }
  for (const e of entries) {
    if (e.isFile() && e.name.endsWith('.pod5')) files += 1;
    else if (await isDir(dir, e)) {
      if (BARCODE_DIR.test(e.name)) barcodes.add(e.name);
      const sub = await countPod5(join(dir, e.name), barcodes);
      files += sub.files;
      newest = Math.max(newest, sub.newest);
    }
  }
  return { files, newest };
}

async function describeRun(
  dir: string,
  files: string[],
  subdirs: string[],
  clock: { now: number; recentMs: number },
): Promise<DiscoveredRun> {
  const summaryFile = files.filter((f) => FINAL_SUMMARY.test(f)).sort()[0];
  const reportFile = files.filter((f) => REPORT.test(f)).sort()[0];
  const warnings: ExperimentWarning[] = [];
  const warn = (file: string, messages: string[]) => warnings.push(...messages.map((message) => ({ file: join(dir, file), message })));
  let summary: FinalSummaryReading | null = null;
  if (summaryFile) {
    const bytes = await readBounded(join(dir, summaryFile), MAX_FINAL_SUMMARY_BYTES);
    if (bytes !== null) summary = typeof bytes === 'number' ? finalSummaryTooLarge(summaryFile, bytes) : readFinalSummary(bytes, summaryFile);
    if (summary) warn(summaryFile, summary.warnings);
  }
  let fromReport: RunMetadata = EMPTY_METADATA;
  if (reportFile) {
    const bytes = await readBounded(join(dir, reportFile), MAX_REPORT_BYTES);
    if (typeof bytes === 'number') warn(reportFile, [`${reportFile}: ${bytes.toLocaleString('en-US')} bytes is too large for a run report; it was not read`]);
    try {
      if (bytes instanceof Buffer) {
        const checked = checkReportMetadata(metadataFromReport(JSON.parse(bytes.toString('utf8'))), reportFile);
        fromReport = checked.meta;
        warn(reportFile, checked.warnings);
      }
    } catch {
      // a report cut short while MinKNOW writes it: the other sources remain
    }
  }
  const meta = mergeMetadata(summary?.used ? summary.meta : EMPTY_METADATA, fromReport, metadataFromFolderName(basename(dir)));

  const pod5Dirs = subdirs.filter((d) => POD5_DIR.test(d)).sort();
  const barcodes = new Set<string>();
  let pod5Count = 0;
  let newest = await mtime(dir);
  for (const d of pod5Dirs) {
    const c = await countPod5(join(dir, d), barcodes);
    pod5Count += c.files;
    newest = Math.max(newest, c.newest);
  }

  let state: RunState;
  if (summary?.complete) state = meta.pod5Expected !== null && pod5Count < meta.pod5Expected ? 'incomplete_transfer' : 'complete';
  else state = clock.now - newest <= clock.recentMs ? 'in_progress' : 'interrupted';

  return {
    experimentPath: dir,
    suggestedId: safeExpId(basename(dir)),
    ...meta,
    pod5Count,
    pod5Dir: pod5Dirs.length === 1 ? join(dir, pod5Dirs[0]!) : pod5Dirs.length > 1 ? dir : null,
    barcodes: [...barcodes].sort(),
    state,
    warnings,
    source: summary?.used ? 'final_summary' : reportFile && fromReport !== EMPTY_METADATA ? 'report' : 'folder_name',
  };
}
