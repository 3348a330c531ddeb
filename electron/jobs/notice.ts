import { TERMINAL_JOB_STATUSES, type JobInfo } from '../../shared/schemas/jobs';

export const NOTIFY_AFTER_SECONDS = 60;

export interface JobNotice {
  jobId: number;
  runId: string;
  title: string;
  body: string;
}

/**
 * Which job ends deserve a desktop notification: those that ran at least a minute (nobody
 * wants a pop-up for a 3-second step they are watching), each once.
 */
export function createJobNoticePolicy(minSeconds = NOTIFY_AFTER_SECONDS): (job: JobInfo) => JobNotice | null {
  const told = new Set<number>();
  return (job) => {
    if (!TERMINAL_JOB_STATUSES.includes(job.status) || told.has(job.id)) return null;
    if (!job.startedAt || !job.completedAt) return null;
    const seconds = (Date.parse(job.completedAt) - Date.parse(job.startedAt)) / 1000;
    if (!(seconds >= minSeconds)) return null;
    told.add(job.id);
    const minutes = Math.round(seconds / 60);
    const outcome = job.status === 'completed' ? 'finished' : job.status === 'failed' ? `failed (exit code ${job.exitCode ?? '?'})` : job.status;
    return {
      jobId: job.id,
      runId: job.runId,
      title: `${job.step} ${outcome}`,
      body: `Attempt ${job.attempt} of ${job.step} ${outcome} after ${minutes} min.`,
    };
  };
}
