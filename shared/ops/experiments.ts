import { z } from 'zod';
import {
  BasecallRun,
  BasecallStatus,
  DiscoveryProgress,
  Experiment,
  ExperimentDetail,
  LegacyMigration,
  ModelTier,
} from '../schemas/experiments';
import { op } from './define';

const Path = z.string().min(1).max(4096);
const ExpId = z.string().min(1).max(128);
const ScanId = z.object({ scanId: z.string().min(1).max(64) }).strict();

export const RegisterBasecallRequest = z
  .object({
    bamPath: Path,
    /** Overrides (or, for a BAM not named by the convention, supplies) the parsed fields. */
    expId: ExpId.optional(),
    tier: ModelTier.optional(),
    version: z.string().min(1).max(40).optional(),
    trim: z.union([z.literal(0), z.literal(1)]).optional(),
    modBitflag: z.number().int().nonnegative().optional(),
    status: BasecallStatus.optional(),
    /** Create a bare experiment when exp_id is unknown (otherwise an unknown exp_id is refused). */
    createExperiment: z.boolean().optional(),
  })
  .strict();

export const experimentsOps = {
  'experiments.discover': op(
    'Start scanning folders for MinKNOW runs (in a separate process); returns the scan id. Progress comes as discovery.progress events',
    z.object({ dirs: z.array(Path).min(1).max(50) }).strict(),
    z.object({ scanId: z.string() }),
  ),
  'experiments.cancelDiscovery': op('Stop a discovery scan; runs already found stay stored', ScanId, DiscoveryProgress),
  'experiments.discovery': op('Where a discovery scan is (the last progress)', ScanId, DiscoveryProgress),
  'experiments.discoveryFolders': op(
    'The folders the last discovery scan of this workspace was started on (to offer them again)',
    z.object({}).strict(),
    z.object({ folders: z.array(z.string()) }),
  ),
  'experiments.list': op(
    'Experiments, newest start first, with their basecall run counts; search matches id, sample, flow cell, path',
    z.object({ search: z.string().max(200).optional() }).strict(),
    z.array(Experiment),
  ),
  'experiments.get': op('One experiment with its basecall runs and linked library specs', z.object({ expId: ExpId }).strict(), ExperimentDetail),
  'experiments.migrateLegacy': op(
    "Copy the experiments of a legacy nanopore_experiments.db (the seed's column mapping), all or nothing; dryRun changes nothing",
    z.object({ source: Path, dryRun: z.boolean().default(false) }).strict(),
    LegacyMigration,
  ),
  'basecalls.register': op(
    'Register an existing BAM as a basecall run: fields parsed from {exp_id}_{tier}_v{version}_trim{0|1}_{mods}.bam or given',
    RegisterBasecallRequest,
    BasecallRun,
  ),
} as const;
