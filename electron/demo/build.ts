/**
 * Fill a demo workspace through the same operations the app's pages call: a library spec with its
 * GenBank constructs and QC thresholds, experiments discovered from a MinKNOW tree, a basecalled
 * BAM registered and ingested (SMA-seq), and a qsLAM run with every step run on generated reads.
 * A step whose tool is missing on this machine is skipped with a note, so the demo always ends.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ApiError } from '../../shared/errors';
import { TERMINAL_JOB_STATUSES, type JobInfo } from '../../shared/schemas/jobs';
import type { DemoStep, DemoSummary } from '../../shared/ops/demo';
import type { Session } from '../api/session';
import { waitForScan } from '../cli/commands/experiments';
import { DEMO_DATA_DIR, writeDemoBam, writeDemoDataset } from './dataset';

/** Written first (complete: false) and rewritten last: a folder holding it is Benchtop's own demo. */
export const DEMO_MARKER = '.benchtop-demo.json';

interface Marker {
  complete: boolean;
  summary?: DemoSummary;
}

function readMarker(dir: string): Marker | null {
  try {
    return JSON.parse(readFileSync(join(dir, DEMO_MARKER), 'utf8')) as Marker;
  } catch {
    return null;
  }
}

/** Where the demo goes unless told otherwise: beside the default workspace, never in it. */
export function defaultDemoDir(): string {
  return join(homedir(), 'Benchtop-demo');
}

/** The folder's demo marker (null: missing or empty folder); refuses a folder with other files. */
export function checkDemoFolder(dir: string): Marker | null {
  if (!existsSync(dir) || readdirSync(dir).length === 0) return null;
  const marker = readMarker(dir);
  if (!marker) throw new ApiError('conflict', `${dir} already holds files and is not a demo workspace: choose an empty or new folder for the demo.`);
  return marker;
}

/**
 * What to do with the folder, before any workspace is opened in it: build (a missing or empty
 * folder, or a demo left half-built, which is emptied; the folder is then marked as a demo being
 * built), or nothing (a finished demo: its summary). Any other folder with files is refused: the
 * demo never writes among someone's data.
 */
export function prepareDemoFolder(dir: string): { build: true } | { build: false; summary: DemoSummary } {
  const marker = checkDemoFolder(dir);
  if (marker) {
    if (marker.complete && marker.summary) return { build: false, summary: marker.summary };
    for (const name of readdirSync(dir)) rmSync(join(dir, name), { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  markDemoFolder(dir, { complete: false });
  return { build: true };
}

function markDemoFolder(dir: string, marker: Marker): void {
  writeFileSync(join(dir, DEMO_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
}

async function waitForJob(session: Session, jobId: number): Promise<JobInfo> {
  for (;;) {
    const job = session.jobs.get(jobId);
    if (TERMINAL_JOB_STATUSES.includes(job.status)) {
      await session.jobs.settled();
      return session.jobs.get(jobId);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Launch a step of a run and wait for it; skipped (with preflight's reasons) when it cannot launch. */
async function runStep(session: Session, runId: string, step: string, params: Record<string, string | number | boolean>, log: (line: string) => void): Promise<DemoStep> {
  const preflight = await session.call('steps.preflight', { runId, step, params });
  if (!preflight.ok) {
    const note = preflight.problems.map((p) => p.message).join(' ');
    log(`  ${step}: skipped — ${note}`);
    return { step, status: 'skipped', note };
  }
  log(`  ${step}: running`);
  const job = await waitForJob(session, (await session.call('jobs.start', { runId, step, params })).id);
  log(`  ${step}: ${job.status}`);
  return { step, status: job.status === 'completed' ? 'completed' : 'failed', note: job.status === 'completed' ? null : job.error };
}

/** Build the demo in the session's workspace (prepared by `prepareDemoFolder`). */
export async function buildDemo(session: Session, log: (line: string) => void): Promise<DemoSummary> {
  const started = Date.now();
  const dir = session.workspace.layout.path;

  log('Generating the demo data…');
  const data = writeDemoDataset(dir);

  log('Discovering experiments in the generated MinKNOW folder…');
  const { scanId } = await session.call('experiments.discover', { dirs: [data.minknowRoot] });
  const scan = await waitForScan(session, scanId, () => {});
  if (scan.state !== 'done') throw new Error(`The discovery of ${data.minknowRoot} ended ${scan.state}: ${scan.error ?? 'no reason given'}`);
  const experiments = await session.call('experiments.list', {});
  const complete = experiments.find((e) => e.experimentPath === data.completeRun);
  if (!complete) throw new Error(`The discovery did not store the run in ${data.completeRun}.`);
  log(`  ${experiments.length} experiments`);

  log('Creating the library spec…');
  const lib = await session.call('libraries.create', {
    spec: { lib_name: 'Demo plasmid panel', project: 'Benchtop demo', pore_type: 'R10.4.1', flow_cell_type: 'FLO-PRO114M', sequencing_kit: 'SQK-LSK114', created_by: 'demo' },
  });
  const libId = String(lib.spec.lib_id);
  const [plasmid, amplicon] = (await session.call('libraries.importConstructs', { libId, path: data.genbank })).ids;
  await session.call('libraries.addRow', { libId, table: 'fragments', row: { construct_id: plasmid!, name: 'pDemo-GFP linearized', fragment_type: 'linearized', expected_len: 3000, expected_strand: 'both' } });
  await session.call('libraries.addRow', { libId, table: 'fragments', row: { construct_id: amplicon!, name: 'amp-900', expected_len: 900, expected_strand: 'both' } });
  await session.call('libraries.addRow', { libId, table: 'barcodes', row: { barcode_kit: 'SQK-NBD114.24', barcode_name: 'NB01', sample_name: 'plasmid prep 1', expected_constructs: plasmid!, min_reads: 1000, min_purity: 0.9 } });
  await session.call('libraries.addRow', { libId, table: 'barcodes', row: { barcode_kit: 'SQK-NBD114.24', barcode_name: 'NB02', sample_name: 'amplicon pool', expected_constructs: amplicon!, min_reads: 500, min_purity: 0.9 } });
  await session.call('libraries.addRow', { libId, table: 'sample_prep', row: { extraction_method: 'alkaline_lysis', size_selection: 'ampure_0.8x', library_kit: 'SQK-LSK114', input_mass_ng: 400, prep_date: '2024-01-14' } });
  await session.call('libraries.editRow', { libId, table: 'qc_thresholds', id: libId, changes: { min_n50: 800, target_n50: 2500, min_reads: 1000, target_reads: 2500 } });
  await session.call('libraries.link', { libId, expId: complete.expId, link: { notes: 'Generated by benchtop demo' } });
  await session.call('libraries.setStatus', { libId, status: 'active' });

  log('Registering and ingesting the basecalled BAM…');
  const bam = writeDemoBam(dir, complete.expId);
  const basecall = await session.call('basecalls.register', { bamPath: bam, expId: complete.expId, tier: 'sup', version: '5.0.0', trim: 0, status: 'complete' });
  const ingest = await session.call('sma.ingest', { basecallRunId: basecall.runId, refs: [data.references] });
  const ingestJob = await waitForJob(session, ingest.jobId);
  log(`  SMA ingest: ${ingestJob.status}`);
  if (ingestJob.status !== 'completed') throw new Error(`The SMA ingest of ${bam} ${ingestJob.status}: ${ingestJob.error ?? 'see its log'}`);
  // A second basecall of the same run, left for the user to ingest: the "Ready for SMA analysis" lists show it.
  const hacBam = bam.replace('_sup_', '_hac_');
  copyFileSync(bam, hacBam);
  const pendingRun = await session.call('basecalls.register', { bamPath: hacBam, expId: complete.expId, tier: 'hac', version: '5.0.0', trim: 0, status: 'complete' });

  log('Creating the qsLAM run and running its steps…');
  const q = data.qslam;
  const run = await session.call('runs.create', {
    name: 'Demo qsLAM run',
    description: 'Generated paired reads with planted integration sites (benchtop demo).',
    createdBy: 'demo',
    inputs: [
      { role: 'R1', path: q.r1 },
      { role: 'R2', path: q.r2 },
    ],
  });
  const plan: [string, Record<string, string | number | boolean>][] = [
    ['qc', {}],
    ['umi', {}],
    ['cutadapt', { r1_seq: q.r1Primer, r1_anchored: true, r1_error_rate: 0.1, r2_seq: q.r2Linker, r2_anchored: true }],
    ['fastp', {}],
    ['readlen', {}],
    ['read_mapping', { genome: q.genomeGz }],
    ['site_analysis', { annotation: q.annotationGtf, spike_bed: q.spikeBed }],
  ];
  const steps: DemoStep[] = [];
  for (const [step, params] of plan) steps.push(await runStep(session, run.id, step, params, log));

  const summary: DemoSummary = {
    workspace: dir,
    dataDir: join(dir, DEMO_DATA_DIR),
    experiments: experiments.map((e) => e.expId),
    libId,
    basecallRunId: basecall.runId,
    pendingBasecallRunId: pendingRun.runId,
    ingestRunId: ingest.runId,
    qslamRunId: run.id,
    steps,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
  markDemoFolder(dir, { complete: true, summary });
  log(`The demo workspace is ready in ${dir} (${summary.seconds} s).`);
  return summary;
}
