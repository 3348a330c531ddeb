import type { HandlerTable } from '../api/dispatch';
import type { Session } from '../api/session';
import { writeSettings } from '../workspace/settings';

type JobsOps =
  | 'jobs.get'
  | 'jobs.list'
  | 'jobs.kill'
  | 'jobs.logTail'
  | 'jobs.logRead'
  | 'jobs.logSearch'
  | 'jobs.concurrency'
  | 'jobs.setConcurrency';

/** The jobs operations, always on the runner of the workspace open at the time of the call. */
export function jobsHandlers(session: Session): Pick<HandlerTable, JobsOps> {
  const concurrency = () => ({ max: session.jobs.maxConcurrent, ...session.jobs.counts() });
  return {
    'jobs.get': ({ id }) => session.jobs.get(id),
    'jobs.list': ({ runId, status }) => session.jobs.list({ runId, status }),
    // Returns once the job has ended (TERM, the grace period, KILL), so the answer says `killed`.
    'jobs.kill': ({ id }) => session.jobs.killAndWait(id),
    'jobs.logTail': ({ id, maxBytes }) => session.jobs.logTail(id, maxBytes),
    'jobs.logRead': ({ id, offset, maxBytes }) => session.jobs.logRead(id, offset, maxBytes),
    'jobs.logSearch': ({ id, query, maxMatches }) => session.jobs.logSearch(id, query, maxMatches),
    'jobs.concurrency': () => concurrency(),
    'jobs.setConcurrency': ({ max }) => {
      writeSettings(session.host.configDir, { maxConcurrentJobs: max });
      session.jobs.maxConcurrent = max;
      return concurrency();
    },
  };
}
