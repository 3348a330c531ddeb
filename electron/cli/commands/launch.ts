import { ApiError } from '../../../shared/errors';
import { TERMINAL_JOB_STATUSES, type JobInfo } from '../../../shared/schemas/jobs';
import type { Session } from '../../api/session';
import { findStep, parseParamText, workspaceStepCatalog } from '../../steps';
import { logLines, printJson, withSession, type CliCommand, type CliContext } from '../context';

const START = 'benchtop runs start RUN STEP [--param NAME=VALUE …] [--wait]';

/** `--param name=value` typed by the step's schema (numbers, booleans), so the run stores real values. */
function stepParams(session: Session, step: string, texts: string[]): Record<string, string | number | boolean | null> {
  const def = findStep(workspaceStepCatalog(session.workspace.layout, session.host.configDir), step);
  if (!def) throw new ApiError('not_found', `There is no step "${step}".`);
  const params: Record<string, string | number | boolean | null> = {};
  for (const text of texts) {
    const eq = text.indexOf('=');
    if (eq <= 0) throw new ApiError('invalid_request', `--param takes NAME=VALUE, not ${JSON.stringify(text)}.`);
    const name = text.slice(0, eq);
    try {
      params[name] = parseParamText(def, name, text.slice(eq + 1));
    } catch (err) {
      throw new ApiError('invalid_request', (err as Error).message);
    }
  }
  return params;
}

/** Wait for the job to end, printing its log as it grows; resolves with its final state. */
function follow(session: Session, job: JobInfo, out: (line: string) => void): Promise<JobInfo> {
  return new Promise((resolve) => {
    // The job's process is detached and unref'd: something must keep this command alive until it ends.
    const keepAlive = setInterval(() => {}, 1000);
    let carry = '';
    const unsubscribe = session.events.subscribe((event) => {
      if (event.name === 'job.log') {
        const chunk = event.payload as { jobId: number; text: string };
        if (chunk.jobId !== job.id) return;
        const cut = logLines(carry, chunk.text);
        carry = cut.carry;
        for (const line of cut.lines) out(line);
      } else if (event.name === 'job.status') {
        const info = event.payload as JobInfo;
        if (info.id === job.id && TERMINAL_JOB_STATUSES.includes(info.status)) {
          unsubscribe();
          clearInterval(keepAlive);
          if (carry) out(carry);
          resolve(info);
        }
      }
    });
  });
}

function outcome(ctx: CliContext, job: JobInfo): void {
  if (job.status !== 'completed') {
    throw new Error(`job ${job.id} (${job.step}) ${job.status}${job.error ? `: ${job.error}` : ''}`);
  }
  ctx.note(`Job ${job.id} (${job.step}, attempt ${job.attempt}) completed.`);
}

export const launchCommands: CliCommand[] = [
  {
    words: ['runs', 'start'],
    usage: START,
    summary: 'Launch a step on a run (a new attempt); --wait prints its log and waits for it to end (with --json the log goes to stderr)',
    options: { param: { type: 'string', multiple: true }, wait: { type: 'boolean' } },
    run: (ctx, values, args) =>
      withSession(ctx, async (session) => {
        const [runId, step, ...rest] = args;
        if (!runId || !step || rest.length) throw new ApiError('invalid_request', `expected a run id and a step. Usage: ${START}`);
        const params = stepParams(session, step, (values.param as string[] | undefined) ?? []);
        const job = await session.call('jobs.start', { runId, step, params });
        if (!values.wait) {
          if (ctx.json) printJson(ctx, job);
          else ctx.out(`Started job ${job.id} (${step}, attempt ${job.attempt}): ${job.status}. Follow it with \`benchtop jobs logs ${job.id} --follow\`.`);
          return;
        }
        const ended = TERMINAL_JOB_STATUSES.includes(job.status) ? job : await follow(session, job, ctx.note);
        if (ctx.json) printJson(ctx, ended);
        outcome(ctx, ended);
      }),
  },
];
