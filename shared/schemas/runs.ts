import { z } from 'zod';
import { JobInfo } from './jobs';

export const ParamValue = z.union([z.string().max(100_000), z.number().finite(), z.boolean(), z.null()]);
export type ParamValue = z.infer<typeof ParamValue>;
/** Parameters of one step: flat name → value. */
export const StepParams = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/), ParamValue);
/** Parameters of a run, by step id. */
export const RunParams = z.record(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/), StepParams);
export type RunParams = z.infer<typeof RunParams>;

export const InputRole = z.string().regex(/^[A-Za-z0-9_]{1,32}$/, 'a role is 1-32 letters, digits or _');

export const RunInput = z.object({
  role: z.string(),
  name: z.string(),
  /** Relative to the run's folder, e.g. rawdata/sample_R1.fastq.gz. */
  path: z.string(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string(),
  mode: z.enum(['copy', 'link']),
  originalPath: z.string(),
});
export type RunInput = z.infer<typeof RunInput>;

export const RUN_STATUSES = ['pending', 'running', 'completed', 'failed', 'killed', 'interrupted'] as const;

export const RunSummary = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  createdBy: z.string().nullable(),
  pipeline: z.string().nullable(),
  status: z.string(),
  currentStep: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  inputCount: z.number().int().nonnegative(),
  jobCount: z.number().int().nonnegative(),
  cleanedAt: z.string().nullable(),
});
export type RunSummary = z.infer<typeof RunSummary>;

export const RunDetail = RunSummary.extend({
  dir: z.string(),
  inputs: z.array(RunInput),
  params: RunParams,
  jobs: z.array(JobInfo),
});
export type RunDetail = z.infer<typeof RunDetail>;

export const CreateRunRequest = z
  .object({
    name: z.string().trim().min(1).max(200),
    description: z.string().max(10_000).optional(),
    createdBy: z.string().max(200).optional(),
    pipeline: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/).default('qslam'),
    inputs: z.array(z.object({ role: InputRole, path: z.string().min(1).max(4096) }).strict()).max(100).default([]),
    mode: z.enum(['copy', 'link']).default('copy'),
    params: RunParams.default({}),
  })
  .strict();

/** A run's configuration without its data: what `runs.export` writes and `runs.import` reads. */
export const RunExport = z
  .object({
    format: z.literal('benchtop-run'),
    version: z.literal(1),
    name: z.string().min(1).max(200),
    description: z.string().nullable(),
    createdBy: z.string().nullable(),
    pipeline: z.string().nullable(),
    params: RunParams,
    inputs: z.array(z.object({ role: z.string(), name: z.string(), bytes: z.number().int().nonnegative(), sha256: z.string() })),
    exportedAt: z.string(),
    exportedFrom: z.string(),
  })
  .strict();
export type RunExport = z.infer<typeof RunExport>;

export const RunFile = z.object({
  /** Relative to the run's folder. */
  path: z.string(),
  bytes: z.number().int().nonnegative(),
  kind: z.enum(['file', 'dir']),
  modifiedAt: z.string(),
});

export const RunId = z.object({ id: z.string().min(1).max(64) }).strict();
