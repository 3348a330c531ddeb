import { z } from 'zod';
import { JobId, JobInfo, JobStatus, LogSearchResult, LogSlice } from '../schemas/jobs';
import { Empty, op } from './define';

/** The most a log tail or read returns in one call. */
export const MAX_LOG_READ_BYTES = 4 * 1024 * 1024;

const JobIdNumber = z.number().int().positive();
const MaxBytes = z.number().int().min(1).max(MAX_LOG_READ_BYTES);

export const Concurrency = z.object({
  /** Jobs that may run at once; further jobs wait as `pending`. */
  max: z.number().int().min(1).max(64),
  running: z.number().int().nonnegative(),
  pending: z.number().int().nonnegative(),
});

export const jobsOps = {
  'jobs.get': op('One job (one attempt of one step): status, argv, exit code, log file, progress', JobId, JobInfo),
  'jobs.list': op(
    'Jobs, oldest first, optionally of one run and/or with one status',
    z.object({ runId: z.string().min(1).max(200).optional(), status: JobStatus.optional() }).strict(),
    z.array(JobInfo),
  ),
  'jobs.kill': op(
    'Kill a job: its whole process group gets TERM, then KILL after a grace period; a pending job is just marked killed; a finished one is a conflict',
    JobId,
    JobInfo,
  ),
  'jobs.logTail': op(
    "The last bytes of a job's log (default 64 KB), starting at a line's beginning",
    z.object({ id: JobIdNumber, maxBytes: MaxBytes.optional() }).strict(),
    LogSlice,
  ),
  'jobs.logRead': op(
    "A slice of a job's log from a byte offset (default 64 KB), in whole characters; `next` is where to read on",
    z.object({ id: JobIdNumber, offset: z.number().int().nonnegative(), maxBytes: MaxBytes.optional() }).strict(),
    LogSlice,
  ),
  'jobs.logSearch': op(
    "Lines of a job's log containing a text (case-insensitive), with line numbers and byte offsets",
    z
      .object({ id: JobIdNumber, query: z.string().min(1).max(200), maxMatches: z.number().int().min(1).max(1000).optional() })
      .strict(),
    LogSearchResult,
  ),
  'jobs.concurrency': op('How many jobs may run at once, and how many run and wait now', Empty, Concurrency),
  'jobs.setConcurrency': op(
    'Set how many jobs may run at once (a per-user setting); waiting jobs start when slots free up',
    z.object({ max: z.number().int().min(1).max(64) }).strict(),
    Concurrency,
  ),
} as const;
