import { z } from 'zod';

/** `starting`: claimed, its process being spawned (a moment; after a crash, until the next reconcile). */
export const JOB_STATUSES = ['pending', 'starting', 'running', 'completed', 'failed', 'killed', 'interrupted'] as const;
export const JobStatus = z.enum(JOB_STATUSES);
export type JobStatus = z.infer<typeof JobStatus>;
export const TERMINAL_JOB_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'killed', 'interrupted'];

export const JobProgress = z.object({
  done: z.number().nonnegative(),
  total: z.number().nonnegative().nullable(),
  unit: z.string(),
});
export type JobProgress = z.infer<typeof JobProgress>;

/** One attempt of one step of a run. */
export const JobInfo = z.object({
  id: z.number().int(),
  runId: z.string(),
  step: z.string(),
  attempt: z.number().int().positive(),
  status: JobStatus,
  argv: z.array(z.string()),
  tool: z.string().nullable(),
  toolVersion: z.string().nullable(),
  pid: z.number().int().nullable(),
  pgid: z.number().int().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  exitCode: z.number().int().nullable(),
  logFile: z.string().nullable(),
  error: z.string().nullable(),
  progress: JobProgress.nullable(),
});
export type JobInfo = z.infer<typeof JobInfo>;

export const JobId = z.object({ id: z.number().int().positive() }).strict();

export const LogChunk = z.object({
  jobId: z.number().int(),
  /** Byte offset of `text` in the log file. */
  offset: z.number().int().nonnegative(),
  text: z.string(),
});
export type LogChunk = z.infer<typeof LogChunk>;

export const LogSlice = z.object({
  text: z.string(),
  /** Byte offset of `text` in the file, and where the next read starts. */
  offset: z.number().int().nonnegative(),
  next: z.number().int().nonnegative(),
  size: z.number().int().nonnegative(),
});

export const LogMatch = z.object({ line: z.number().int().positive(), offset: z.number().int().nonnegative(), text: z.string() });
export const LogSearchResult = z.object({ matches: z.array(LogMatch), truncated: z.boolean() });
