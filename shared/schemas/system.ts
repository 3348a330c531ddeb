import { z } from 'zod';

export const SystemStatus = z.object({
  workspace: z.string(),
  centralDbBytes: z.number().int().nonnegative(),
  readsDbBytes: z.number().int().nonnegative(),
  readsDbCount: z.number().int().nonnegative(),
  diskFreeBytes: z.number().nonnegative(),
  diskTotalBytes: z.number().nonnegative(),
  activeJobs: z.number().int().nonnegative(),
  totalRuns: z.number().int().nonnegative(),
  uptimeSeconds: z.number().nonnegative(),
  startedAt: z.string(),
});
export type SystemStatus = z.infer<typeof SystemStatus>;

export const SystemInfo = z.object({
  name: z.string(),
  version: z.string(),
  /** desktop: the Electron app; serve: `benchtop serve`; cli: the command line. */
  deploymentMode: z.enum(['desktop', 'serve', 'cli']),
  platform: z.string(),
  arch: z.string(),
  nodeVersion: z.string(),
  electronVersion: z.string().nullable(),
  sqliteVersion: z.string(),
  centralSchemaVersion: z.number().int(),
  readsSchemaVersion: z.number().int(),
});
export type SystemInfo = z.infer<typeof SystemInfo>;

const CountByStatus = z.record(z.string(), z.number().int().nonnegative());

export const PendingSmaRun = z.object({
  runId: z.string(),
  expId: z.string().nullable(),
  sampleId: z.string().nullable(),
  modelTier: z.string().nullable(),
  bamPath: z.string().nullable(),
});

/** Seed 000's pipeline status, plus the analysis runs and jobs of seed 001. */
export const PipelineStatus = z.object({
  experiments: z.number().int().nonnegative(),
  basecallRuns: CountByStatus,
  runs: CountByStatus,
  jobs: CountByStatus,
  pendingSma: z.array(PendingSmaRun),
});
export type PipelineStatus = z.infer<typeof PipelineStatus>;
