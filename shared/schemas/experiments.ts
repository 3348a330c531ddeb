import { z } from 'zod';

/** How far a MinKNOW run got: from final_summary (and the POD5 files on disk), else from the folder's age. */
export const RUN_STATES = ['complete', 'incomplete_transfer', 'in_progress', 'interrupted'] as const;
export const RunState = z.enum(RUN_STATES);
export type RunState = z.infer<typeof RunState>;

/** Where an experiment's metadata came from. */
export const EXPERIMENT_SOURCES = ['final_summary', 'report', 'folder_name', 'legacy', 'manual'] as const;
export const ExperimentSource = z.enum(EXPERIMENT_SOURCES);

/** Something wrong in a run's own files (a final_summary that is binary, lacks keys, or holds a value that cannot be right). */
export const ExperimentWarning = z.object({
  /** The file it is about (its full path). */
  file: z.string(),
  /** Names the file, and the key and value when it is about one. */
  message: z.string(),
});
export type ExperimentWarning = z.infer<typeof ExperimentWarning>;

/** A MinKNOW run as a scan finds it on disk (before it is stored). */
export const DiscoveredRun = z.object({
  experimentPath: z.string(),
  /** The folder's name, made safe for file names: the exp_id of a new experiment. */
  suggestedId: z.string(),
  instrument: z.string().nullable(),
  flowCellId: z.string().nullable(),
  sampleId: z.string().nullable(),
  protocol: z.string().nullable(),
  flowCellProduct: z.string().nullable(),
  sequencingKit: z.string().nullable(),
  started: z.string().nullable(),
  protocolRunId: z.string().nullable(),
  pod5Count: z.number().int().nonnegative(),
  pod5Expected: z.number().int().nonnegative().nullable(),
  pod5Dir: z.string().nullable(),
  barcodes: z.array(z.string()),
  state: RunState,
  source: ExperimentSource,
  warnings: z.array(ExperimentWarning),
});
export type DiscoveredRun = z.infer<typeof DiscoveredRun>;

export const Experiment = z.object({
  expId: z.string(),
  experimentPath: z.string().nullable(),
  instrument: z.string().nullable(),
  flowCellId: z.string().nullable(),
  sampleId: z.string().nullable(),
  protocol: z.string().nullable(),
  started: z.string().nullable(),
  pod5Count: z.number().int().nullable(),
  pod5Dir: z.string().nullable(),
  createdAt: z.string().nullable(),
  flowCellProduct: z.string().nullable(),
  sequencingKit: z.string().nullable(),
  protocolRunId: z.string().nullable(),
  pod5Expected: z.number().int().nullable(),
  runState: RunState.nullable(),
  source: z.string().nullable(),
  scannedAt: z.string().nullable(),
  basecallRuns: z.number().int().nonnegative(),
  /** From the last scan of its folder. */
  warnings: z.array(ExperimentWarning),
});
export type Experiment = z.infer<typeof Experiment>;

export const BASECALL_STATUSES = ['pending', 'running', 'complete', 'failed', 'analyzed'] as const;
export const BasecallStatus = z.enum(BASECALL_STATUSES);
export const MODEL_TIERS = ['fast', 'hac', 'sup'] as const;
export const ModelTier = z.enum(MODEL_TIERS);
export type ModelTier = z.infer<typeof ModelTier>;

export const BasecallRun = z.object({
  runId: z.string(),
  expId: z.string().nullable(),
  modelTier: z.string().nullable(),
  modelVersion: z.string().nullable(),
  trim: z.number().int().nullable(),
  modBitflag: z.number().int().nullable(),
  /** The modifications of the bitflag, by lk_modifications' mod_type (e.g. ["6mA", "5mCG_5hmCG"]). */
  mods: z.array(z.string()),
  doradoVersion: z.string().nullable(),
  doradoArgs: z.string().nullable(),
  batchSize: z.number().int().nullable(),
  emitMoves: z.number().int().nullable(),
  gpuModel: z.string().nullable(),
  slurmJobId: z.string().nullable(),
  runtimeSeconds: z.number().nullable(),
  bamPath: z.string().nullable(),
  smaDbPath: z.string().nullable(),
  status: z.string().nullable(),
  createdAt: z.string().nullable(),
  analysisRunId: z.string().nullable(),
  jobId: z.number().int().nullable(),
});
export type BasecallRun = z.infer<typeof BasecallRun>;

export const LinkedLibrary = z.object({
  libId: z.string(),
  libName: z.string(),
  libVersion: z.string().nullable(),
  status: z.string().nullable(),
  relationship: z.string().nullable(),
  runPurpose: z.string().nullable(),
  notes: z.string().nullable(),
});

export const ExperimentDetail = Experiment.extend({
  basecalls: z.array(BasecallRun),
  libraries: z.array(LinkedLibrary),
});
export type ExperimentDetail = z.infer<typeof ExperimentDetail>;

/** Emitted while a discovery scan runs (a few times a second at most), and once when it ends (state ≠ running). */
export const DiscoveryProgress = z.object({
  scanId: z.string(),
  state: z.enum(['running', 'done', 'cancelled', 'failed']),
  foldersScanned: z.number().int().nonnegative(),
  runsFound: z.number().int().nonnegative(),
  added: z.number().int().nonnegative(),
  updated: z.number().int().nonnegative(),
  /** Runs seen before whose stored values the scan found the same. */
  unchanged: z.number().int().nonnegative(),
  /** exp_ids stored by this scan so far, in the order found. */
  expIds: z.array(z.string()),
  error: z.string().nullable(),
});
export type DiscoveryProgress = z.infer<typeof DiscoveryProgress>;

export const LegacyMigration = z.object({
  source: z.string(),
  dryRun: z.boolean(),
  found: z.number().int().nonnegative(),
  /** What happens (or would happen) to each legacy row. */
  rows: z.array(
    z.object({
      expId: z.string(),
      experimentPath: z.string().nullable(),
      sampleId: z.string().nullable(),
      action: z.enum(['add', 'update']),
    }),
  ),
  added: z.number().int().nonnegative(),
  updated: z.number().int().nonnegative(),
});
export type LegacyMigration = z.infer<typeof LegacyMigration>;
