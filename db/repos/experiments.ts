import type Database from 'better-sqlite3';
import type { BasecallRun, DiscoveredRun, Experiment, ExperimentDetail, ExperimentWarning } from '../../shared/schemas/experiments';
import { decodeModBitflag, type ModificationRow } from '../../shared/nanopore/basecallName';

interface ExperimentRow {
  exp_id: string;
  experiment_path: string | null;
  instrument: string | null;
  flow_cell_id: string | null;
  sample_id: string | null;
  protocol: string | null;
  started: string | null;
  pod5_count: number | null;
  pod5_dir: string | null;
  created_at: string | null;
  flow_cell_product: string | null;
  sequencing_kit: string | null;
  protocol_run_id: string | null;
  pod5_expected: number | null;
  run_state: Experiment['runState'];
  source: string | null;
  scanned_at: string | null;
  basecall_runs: number;
}

interface BasecallRow {
  run_id: string;
  exp_id: string | null;
  model_tier: string | null;
  model_version: string | null;
  trim: number | null;
  mod_bitflag: number | null;
  dorado_version: string | null;
  dorado_args: string | null;
  batch_size: number | null;
  emit_moves: number | null;
  gpu_model: string | null;
  slurm_job_id: string | null;
  runtime_seconds: number | null;
  bam_path: string | null;
  sma_db_path: string | null;
  status: string | null;
  created_at: string | null;
  analysis_run_id: string | null;
  job_id: number | null;
}

const SELECT_EXPERIMENTS = `SELECT e.*, (SELECT COUNT(*) FROM basecall_runs b WHERE b.exp_id = e.exp_id) AS basecall_runs FROM experiments e`;

/** The warnings of one experiment, or (no id) of all, by experiment, in the order the scan found them. */
function warningsByExperiment(db: Database.Database, expId?: string): Map<string, ExperimentWarning[]> {
  const rows = db
    .prepare(`SELECT exp_id, source_file AS file, message FROM experiment_warnings${expId === undefined ? '' : ' WHERE exp_id = ?'} ORDER BY id`)
    .all(...(expId === undefined ? [] : [expId])) as { exp_id: string; file: string; message: string }[];
  const out = new Map<string, ExperimentWarning[]>();
  for (const { exp_id, file, message } of rows) {
    const list = out.get(exp_id) ?? [];
    list.push({ file, message });
    out.set(exp_id, list);
  }
  return out;
}

function toExperiment(r: ExperimentRow, warnings: ReadonlyMap<string, ExperimentWarning[]>): Experiment {
  return {
    expId: r.exp_id,
    experimentPath: r.experiment_path,
    instrument: r.instrument,
    flowCellId: r.flow_cell_id,
    sampleId: r.sample_id,
    protocol: r.protocol,
    started: r.started,
    pod5Count: r.pod5_count,
    pod5Dir: r.pod5_dir,
    createdAt: r.created_at,
    flowCellProduct: r.flow_cell_product,
    sequencingKit: r.sequencing_kit,
    protocolRunId: r.protocol_run_id,
    pod5Expected: r.pod5_expected,
    runState: r.run_state,
    source: r.source,
    scannedAt: r.scanned_at,
    basecallRuns: r.basecall_runs,
    warnings: warnings.get(r.exp_id) ?? [],
  };
}

export function modificationRows(db: Database.Database): ModificationRow[] {
  return db.prepare('SELECT mod_code, mod_type, dorado_flag FROM lk_modifications').all() as ModificationRow[];
}

function toBasecall(r: BasecallRow, mods: readonly ModificationRow[]): BasecallRun {
  const decoded = r.mod_bitflag === null ? null : decodeModBitflag(r.mod_bitflag, mods);
  return {
    runId: r.run_id,
    expId: r.exp_id,
    modelTier: r.model_tier,
    modelVersion: r.model_version,
    trim: r.trim,
    modBitflag: r.mod_bitflag,
    mods: decoded?.ok ? decoded.mods.map((m) => m.mod_type ?? String(m.mod_code)) : [],
    doradoVersion: r.dorado_version,
    doradoArgs: r.dorado_args,
    batchSize: r.batch_size,
    emitMoves: r.emit_moves,
    gpuModel: r.gpu_model,
    slurmJobId: r.slurm_job_id,
    runtimeSeconds: r.runtime_seconds,
    bamPath: r.bam_path,
    smaDbPath: r.sma_db_path,
    status: r.status,
    createdAt: r.created_at,
    analysisRunId: r.analysis_run_id,
    jobId: r.job_id,
  };
}

export function listExperiments(db: Database.Database, search?: string): Experiment[] {
  const like = search?.trim() ? `%${search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const where = like
    ? ` WHERE e.exp_id LIKE @like ESCAPE '\\' OR e.sample_id LIKE @like ESCAPE '\\' OR e.flow_cell_id LIKE @like ESCAPE '\\' OR e.experiment_path LIKE @like ESCAPE '\\'`
    : '';
  const rows = db.prepare(`${SELECT_EXPERIMENTS}${where} ORDER BY e.started IS NULL, e.started DESC, e.exp_id`).all(like ? { like } : {}) as ExperimentRow[];
  const warnings = warningsByExperiment(db);
  return rows.map((r) => toExperiment(r, warnings));
}

export function findExperiment(db: Database.Database, expId: string): Experiment | null {
  const row = db.prepare(`${SELECT_EXPERIMENTS} WHERE e.exp_id = ?`).get(expId) as ExperimentRow | undefined;
  return row ? toExperiment(row, warningsByExperiment(db, expId)) : null;
}

export function experimentDetail(db: Database.Database, expId: string): ExperimentDetail | null {
  const exp = findExperiment(db, expId);
  if (!exp) return null;
  const libraries = db
    .prepare(
      `SELECT l.lib_id AS libId, s.lib_name AS libName, s.lib_version AS libVersion, s.status, l.relationship,
              l.run_purpose AS runPurpose, l.notes
         FROM lib_experiment_link l JOIN library_specs s ON s.lib_id = l.lib_id
        WHERE l.exp_id = ? ORDER BY s.lib_name, s.lib_version`,
    )
    .all(expId) as ExperimentDetail['libraries'];
  return { ...exp, basecalls: listBasecallRuns(db, expId), libraries };
}

export function listBasecallRuns(db: Database.Database, expId: string): BasecallRun[] {
  const mods = modificationRows(db);
  return (db.prepare('SELECT * FROM basecall_runs WHERE exp_id = ? ORDER BY created_at, run_id').all(expId) as BasecallRow[]).map((r) => toBasecall(r, mods));
}

export function findBasecallRun(db: Database.Database, runId: string): BasecallRun | null {
  const row = db.prepare('SELECT * FROM basecall_runs WHERE run_id = ?').get(runId) as BasecallRow | undefined;
  return row ? toBasecall(row, modificationRows(db)) : null;
}

export interface NewBasecallRun extends BasecallProvenance {
  runId: string;
  expId: string;
  modelTier: string;
  modelVersion: string;
  trim: number;
  modBitflag: number;
  bamPath: string;
  status: string;
}

/** How a basecall run was made, when Benchtop ran dorado itself. */
export interface BasecallProvenance {
  doradoVersion?: string | null;
  doradoArgs?: string | null;
  batchSize?: number | null;
  emitMoves?: number | null;
  gpuModel?: string | null;
  runtimeSeconds?: number | null;
  analysisRunId?: string | null;
  jobId?: number | null;
}

/** Insert, or replace a run of the same id (a re-basecall with the same settings), keeping its SMA state only when the BAM is the same. */
export function upsertBasecallRun(db: Database.Database, r: NewBasecallRun): void {
  db.prepare(
    `INSERT INTO basecall_runs (run_id, exp_id, model_tier, model_version, trim, mod_bitflag, dorado_version, dorado_args,
                                batch_size, emit_moves, gpu_model, runtime_seconds, bam_path, status, analysis_run_id, job_id)
     VALUES (@runId, @expId, @modelTier, @modelVersion, @trim, @modBitflag, @doradoVersion, @doradoArgs,
             @batchSize, @emitMoves, @gpuModel, @runtimeSeconds, @bamPath, @status, @analysisRunId, @jobId)
     ON CONFLICT (run_id) DO UPDATE SET
       exp_id = excluded.exp_id, model_tier = excluded.model_tier, model_version = excluded.model_version,
       trim = excluded.trim, mod_bitflag = excluded.mod_bitflag, dorado_version = excluded.dorado_version,
       dorado_args = excluded.dorado_args, batch_size = excluded.batch_size, emit_moves = excluded.emit_moves,
       gpu_model = excluded.gpu_model, runtime_seconds = excluded.runtime_seconds,
       sma_db_path = CASE WHEN basecall_runs.bam_path = excluded.bam_path THEN basecall_runs.sma_db_path END,
       status = CASE WHEN basecall_runs.bam_path = excluded.bam_path AND basecall_runs.status = 'analyzed' THEN 'analyzed' ELSE excluded.status END,
       bam_path = excluded.bam_path, analysis_run_id = excluded.analysis_run_id, job_id = excluded.job_id`,
  ).run({
    doradoVersion: null,
    doradoArgs: null,
    batchSize: null,
    emitMoves: null,
    gpuModel: null,
    runtimeSeconds: null,
    analysisRunId: null,
    jobId: null,
    ...r,
  });
}

/** Adds a bare experiment (registered by hand, e.g. for a BAM whose experiment was never discovered). */
export function insertBareExperiment(db: Database.Database, expId: string): void {
  db.prepare("INSERT INTO experiments (exp_id, source) VALUES (?, 'manual')").run(expId);
}

export type UpsertAction = 'add' | 'update' | 'unchanged';

/** What this scan found wrong replaces what the last one did. */
function replaceWarnings(db: Database.Database, expId: string, warnings: readonly ExperimentWarning[]): void {
  db.prepare('DELETE FROM experiment_warnings WHERE exp_id = ?').run(expId);
  const insert = db.prepare('INSERT INTO experiment_warnings (exp_id, source_file, message) VALUES (?, ?, ?)');
  for (const w of warnings) insert.run(expId, w.file, w.message);
}

/** The stored columns a scan sets, by their names in `values` below. */
const SCANNED_COLUMNS = {
  instrument: 'instrument',
  flowCellId: 'flow_cell_id',
  sampleId: 'sample_id',
  protocol: 'protocol',
  started: 'started',
  pod5Count: 'pod5_count',
  pod5Dir: 'pod5_dir',
  flowCellProduct: 'flow_cell_product',
  sequencingKit: 'sequencing_kit',
  protocolRunId: 'protocol_run_id',
  pod5Expected: 'pod5_expected',
  runState: 'run_state',
  source: 'source',
} as const;
/** Values the scan no longer finds are kept (coalesce in the UPDATE); these are always replaced. */
const REPLACED = new Set<string>(['pod5Count', 'runState', 'source']);

/** Whether storing this run would change nothing: its values (as the UPDATE would merge them) and its warnings. */
function sameAsStored(db: Database.Database, expId: string, values: Record<keyof typeof SCANNED_COLUMNS, unknown>, warnings: readonly ExperimentWarning[]): boolean {
  const row = db.prepare('SELECT * FROM experiments WHERE exp_id = ?').get(expId) as Record<string, unknown>;
  for (const [key, column] of Object.entries(SCANNED_COLUMNS)) {
    const next = values[key as keyof typeof SCANNED_COLUMNS];
    const merged = next === null && !REPLACED.has(key) ? row[column] : next;
    if (merged !== row[column]) return false;
  }
  const stored = db.prepare('SELECT source_file AS file, message FROM experiment_warnings WHERE exp_id = ? ORDER BY id').all(expId) as ExperimentWarning[];
  return stored.length === warnings.length && stored.every((w, i) => w.file === warnings[i]!.file && w.message === warnings[i]!.message);
}

/**
 * Store a discovered run, keyed on its folder: a folder seen before keeps its exp_id and gets the
 * new values (a value the scan no longer finds is kept), or is left alone when nothing changed; a
 * new folder gets its name as exp_id, with -2, -3 … when another folder of the same name holds it
 * already. Its warnings are replaced.
 */
function storeDiscoveredRun(db: Database.Database, run: DiscoveredRun, scannedAt: string): { expId: string; action: UpsertAction } {
  const existing = db.prepare('SELECT exp_id FROM experiments WHERE experiment_path = ?').pluck().get(run.experimentPath) as string | undefined;
  const values = {
    instrument: run.instrument,
    flowCellId: run.flowCellId,
    sampleId: run.sampleId,
    protocol: run.protocol,
    started: run.started,
    pod5Count: run.pod5Count,
    pod5Dir: run.pod5Dir,
    flowCellProduct: run.flowCellProduct,
    sequencingKit: run.sequencingKit,
    protocolRunId: run.protocolRunId,
    pod5Expected: run.pod5Expected,
    runState: run.state,
    source: run.source,
  };
  if (existing !== undefined) {
    // Nothing written, so nothing audited: scanned_at tells when a scan last changed the experiment.
    if (sameAsStored(db, existing, values, run.warnings)) return { expId: existing, action: 'unchanged' };
    db.prepare(
      `UPDATE experiments SET
         instrument = coalesce(@instrument, instrument), flow_cell_id = coalesce(@flowCellId, flow_cell_id),
         sample_id = coalesce(@sampleId, sample_id), protocol = coalesce(@protocol, protocol),
         started = coalesce(@started, started), pod5_count = @pod5Count, pod5_dir = coalesce(@pod5Dir, pod5_dir),
         flow_cell_product = coalesce(@flowCellProduct, flow_cell_product), sequencing_kit = coalesce(@sequencingKit, sequencing_kit),
         protocol_run_id = coalesce(@protocolRunId, protocol_run_id), pod5_expected = coalesce(@pod5Expected, pod5_expected),
         run_state = @runState, source = @source, scanned_at = @scannedAt
       WHERE experiment_path = @path`,
    ).run({ ...values, path: run.experimentPath, scannedAt });
    replaceWarnings(db, existing, run.warnings);
    return { expId: existing, action: 'update' };
  }
  const taken = db.prepare('SELECT 1 FROM experiments WHERE exp_id = ?');
  let expId = run.suggestedId;
  for (let n = 2; taken.get(expId) !== undefined; n++) expId = `${run.suggestedId}-${n}`;
  db.prepare(
    `INSERT INTO experiments (exp_id, experiment_path, instrument, flow_cell_id, sample_id, protocol, started, pod5_count, pod5_dir,
                              flow_cell_product, sequencing_kit, protocol_run_id, pod5_expected, run_state, source, scanned_at)
     VALUES (@expId, @path, @instrument, @flowCellId, @sampleId, @protocol, @started, @pod5Count, @pod5Dir,
             @flowCellProduct, @sequencingKit, @protocolRunId, @pod5Expected, @runState, @source, @scannedAt)`,
  ).run({ ...values, expId, path: run.experimentPath, scannedAt });
  replaceWarnings(db, expId, run.warnings);
  return { expId, action: 'add' };
}

/** Several discovered runs in one transaction (one commit, one sync to disk, however many runs). */
export function upsertDiscoveredRuns(db: Database.Database, runs: readonly DiscoveredRun[], scannedAt: string): { expId: string; action: UpsertAction }[] {
  return db.transaction(() => runs.map((run) => storeDiscoveredRun(db, run, scannedAt))).immediate();
}
