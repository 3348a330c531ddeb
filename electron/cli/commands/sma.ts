/**
 * SMA-seq ingest on the command line: `benchtop ingest` (foreground, progress on stderr),
 * `benchtop pending-sma`, and the `sma_ingest` built-in step the job runner starts.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXP_ID_RE, parseBasecallName } from '../../../shared/nanopore/basecallName';
import { recordAudit } from '../../../db/repos/audit';
import { findExperiment, insertBareExperiment } from '../../../db/repos/experiments';
import { assertBam, registerBasecall } from '../../experiments/basecalls';
import { InputError } from '../../pipelines/qslam/fastq';
import { expand, resolveWorkspaceDir } from '../../workspace/resolve';
import { configDir } from '../../workspace/settings';
import { Workspace } from '../../workspace/workspace';
import { basecallRunForBam, ingestResult, runSmaIngest, writeIngestResult } from '../../nanopore/ingest/smaIngest';
import { printJson, table, withSession, type CliCommand, type CliContext, type OptionValues } from '../context';
import { required, str } from '../options';
import { STEP_PROCESS } from './builtin';

const s = { type: 'string' } as const;
const DEFAULT_TOLERANCE = 150;

/** The worker thread's script, built next to the CLI bundle (null when running from sources). */
function ingestWorkerScript(): string | null {
  const file = fileURLToPath(new URL('./ingestWorker.js', import.meta.url));
  return existsSync(file) ? file : null;
}

function list(values: OptionValues, name: string): string[] {
  const v = values[name];
  const all = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return all.filter((x): x is string => typeof x === 'string' && x !== '');
}

function tolerance(values: OptionValues): number {
  const v = str(values, 'tolerance');
  if (v === undefined) return DEFAULT_TOLERANCE;
  if (!/^\d+$/.test(v.trim())) throw new InputError(`--tolerance must be a whole number of bases (0 or more), not ${JSON.stringify(v)}`);
  return Number(v);
}

function openWorkspace(flag: string | undefined): Workspace {
  const { dir, source } = resolveWorkspaceDir({ flag, configDir: configDir() });
  return Workspace.open(dir, source);
}

/** Progress on stderr for a person at a terminal: one updating line, then the log lines. */
function stderrLog(): (line: string) => void {
  const tty = process.stderr.isTTY;
  return (line) => {
    const m = /^##progress (\d+) (\S+) (\S+)/.exec(line);
    if (!m) {
      process.stderr.write(`${line}\n`);
      return;
    }
    const text = `${Number(m[1]).toLocaleString('en-US')}${m[2] === '-' ? '' : ` of ~${Number(m[2]).toLocaleString('en-US')}`} ${m[3]}`;
    process.stderr.write(tty ? `\r${text}\u001b[K` : `${text}\n`);
  };
}

/**
 * The basecall run a foreground ingest fills. An experiment the workspace does not know is created
 * with it, as the seed's ingest needed no registration: from a BAM named by the convention, exactly as
 * `basecalls register --create-experiment` does; from any other BAM, a bare experiment and run.
 */
function basecallRunOf(workspace: Workspace, expId: string, bam: string, log: (line: string) => void): string {
  if (findExperiment(workspace.db, expId)) return basecallRunForBam(workspace.db, expId, bam);
  let runId: string;
  if (parseBasecallName(basename(bam)).ok) {
    runId = registerBasecall(workspace.db, { bamPath: bam, expId, createExperiment: true }, { actor: 'cli' }).runId;
  } else {
    if (!EXP_ID_RE.test(expId)) throw new InputError(`${JSON.stringify(expId)} is not an experiment id (letters, digits, . _ - only)`);
    if (!existsSync(bam) || !statSync(bam).isFile()) throw new InputError(`There is no file ${bam}`);
    assertBam(bam);
    runId = workspace.db
      .transaction(() => {
        insertBareExperiment(workspace.db, expId);
        const id = basecallRunForBam(workspace.db, expId, bam);
        recordAudit(workspace.db, { actor: 'cli', action: 'ingest.createExperiment', entityType: 'experiment', entityId: expId, details: { bamPath: bam, basecallRunId: id } });
        return id;
      })
      .immediate();
  }
  log(`Experiment ${expId} was not in the workspace: created it, and basecall run ${runId} from ${basename(bam)}.`);
  return runId;
}

async function ingestCommand(ctx: CliContext, v: OptionValues): Promise<void> {
  const refs = list(v, 'ref').map(expand);
  if (refs.length === 0) throw new InputError('--ref is required (one or more reference FASTA files)');
  const bam = expand(required(v, 'bam'));
  const workspace = openWorkspace(ctx.workspace);
  try {
    const log = stderrLog();
    const runId = str(v, 'run') ?? basecallRunOf(workspace, required(v, 'exp'), bam, log);
    const taggedBam = str(v, 'tagged-bam');
    const outcome = await runSmaIngest(
      workspace.layout,
      workspace.db,
      {
        basecallRunId: runId,
        bam,
        refs,
        summary: str(v, 'summary') === undefined ? undefined : expand(str(v, 'summary')!),
        tolerance: tolerance(v),
        taggedBam: taggedBam === undefined ? undefined : expand(taggedBam),
        workerScript: ingestWorkerScript(),
      },
      log,
    );
    if (process.stderr.isTTY) process.stderr.write('\n');
    if (ctx.json) printJson(ctx, outcome);
    else {
      ctx.out(`Basecall run ${outcome.run_id}: ${outcome.total_reads} reads, ${outcome.matched_reads} matched, into ${outcome.readsDb}`);
      if (outcome.taggedBam) ctx.out(`Tagged BAM: ${outcome.taggedBam}`);
    }
  } finally {
    workspace.close();
  }
}

async function builtinIngest(ctx: CliContext, v: OptionValues): Promise<void> {
  const stepDir = required(v, 'step-dir');
  mkdirSync(stepDir, { recursive: true });
  const workspace = openWorkspace(ctx.workspace);
  try {
    const taggedBam = str(v, 'tagged-bam');
    const outcome = await runSmaIngest(
      workspace.layout,
      workspace.db,
      {
        basecallRunId: required(v, 'basecall-run'),
        bam: required(v, 'bam'),
        refs: list(v, 'ref'),
        summary: str(v, 'summary'),
        tolerance: tolerance(v),
        taggedBam,
        workerScript: ingestWorkerScript(),
      },
      ctx.out,
    );
    const files = outcome.taggedBam ? [{ label: 'BAM with ER:Z end-reason tags', path: relative(dirname(stepDir), outcome.taggedBam), kind: 'bam' as const, bytes: statSync(outcome.taggedBam).size }] : [];
    writeIngestResult(stepDir, ingestResult(outcome, files));
  } finally {
    workspace.close();
  }
}

export const SMA_COMMANDS: CliCommand[] = [
  {
    words: ['ingest'],
    usage: 'benchtop ingest --exp ID --bam BAM --ref FASTA [--ref FASTA2 …] [--run BASECALL_RUN] [--summary TSV] [--tolerance 150] [--tagged-bam OUT]',
    summary: "SMA-seq ingest in the foreground: the BAM's reads into reads/SMA_<exp>.db (q_bc, ref_id, ed, q_ld, end reason), the basecall run marked analyzed; an unknown --exp is created with its basecall run",
    options: { exp: s, bam: s, ref: { type: 'string', multiple: true }, run: s, summary: s, tolerance: s, 'tagged-bam': s },
    run: (ctx, v) => ingestCommand(ctx, v),
  },
  {
    words: ['pending-sma'],
    usage: 'benchtop pending-sma',
    summary: 'Basecall runs that are complete and have no SMA database yet',
    options: {},
    run: async (ctx) => {
      const pending = await withSession(ctx, (session) => session.call('sma.pending', {}));
      if (ctx.json) return printJson(ctx, pending);
      if (pending.runs.length === 0) return ctx.out('No basecall runs pending SMA analysis.');
      for (const line of table([['Run ID', 'Exp ID', 'Tier', 'BAM'], ...pending.runs.map((r) => [r.runId, r.expId, r.modelTier ?? '', r.bamPath ?? 'N/A'])])) ctx.out(line);
    },
  },
  {
    words: ['builtin', 'sma_ingest'],
    usage:
      'benchtop builtin sma_ingest --basecall-run ID --bam BAM --ref FASTA [--ref FASTA2 …] [--summary TSV] [--tolerance 150] [--tagged-bam OUT] --step-dir DIR',
    summary: 'Nanopore step: SMA-seq ingest of a basecall run into its experiment\'s read database (writes results.json)',
    noJson: STEP_PROCESS,
    options: { 'basecall-run': s, bam: s, ref: { type: 'string', multiple: true }, summary: s, tolerance: s, 'tagged-bam': s, 'step-dir': s },
    run: (ctx, v) => builtinIngest(ctx, v),
  },
];
