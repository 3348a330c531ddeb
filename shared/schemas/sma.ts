import { z } from 'zod';
import { JobInfo } from './jobs';

/** How far a read's length may differ from a reference's to be assigned to it (seed: 150). */
export const DEFAULT_SMA_TOLERANCE = 150;
/** The sma_ingest step takes up to this many reference FASTA files (each may hold many targets). */
export const MAX_SMA_REFERENCE_FILES = 4;

export const SmaIngestRequest = z
  .object({
    basecallRunId: z.string().min(1).max(200),
    refs: z.array(z.string().min(1).max(4096)).min(1).max(MAX_SMA_REFERENCE_FILES),
    summary: z.string().min(1).max(4096).optional(),
    tolerance: z.number().int().min(0).max(1_000_000).default(DEFAULT_SMA_TOLERANCE),
    taggedBam: z.boolean().default(false),
  })
  .strict();

export const SmaIngestStarted = z.object({ runId: z.string(), jobId: z.number().int() });

/** A basecall run that is complete and has no SMA database yet, with its latest ingest if any. */
export const PendingSmaRun = z.object({
  runId: z.string(),
  expId: z.string(),
  sampleId: z.string().nullable(),
  modelTier: z.string().nullable(),
  modelVersion: z.string().nullable(),
  bamPath: z.string().nullable(),
  createdAt: z.string().nullable(),
  /** The analysis run of the latest ingest started for it, and that run's latest job. */
  ingest: z.object({ runId: z.string(), job: JobInfo.nullable() }).nullable(),
});
export type PendingSmaRun = z.infer<typeof PendingSmaRun>;

export const PendingSmaList = z.object({ runs: z.array(PendingSmaRun) });
