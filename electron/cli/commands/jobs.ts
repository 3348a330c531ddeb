import { join } from 'node:path';
import { ApiError } from '../../../shared/errors';
import { TERMINAL_JOB_STATUSES, type JobInfo } from '../../../shared/schemas/jobs';
import type { Session } from '../../api/session';
import { logLines, printJson, withSession, type CliCommand, type CliContext } from '../context';



function jobId(args: string[], usage: string): number {
  const [first, ...rest] = args;
  if (first === undefined || rest.length > 0) throw new ApiError('invalid_request', `expected exactly one job id. Usage: ${usage}`);
  const id = Number(first);
  if (!/^\d+$/.test(first) || !Number.isSafeInteger(id) || id <= 0) {
    throw new ApiError('invalid_request', `A job id is a whole number, not ${JSON.stringify(first)}.`);
  }
  return id;
}

/** An argv as a reader would retype it in a POSIX shell (for display only: jobs never run through a shell). */
export function quoteArgv(argv: string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

function describe(ctx: CliContext, session: Session, job: JobInfo): void {
  const rows: [string, string][] = [
    ['Run', job.runId],
    ['Step', `${job.step} (attempt ${job.attempt})`],
    ['Status', job.status + (job.pid !== null && job.status === 'running' ? ` (pid ${job.pid})` : '')],
    ['Command', quoteArgv(job.argv)],
    ['Tool', job.tool === null ? '—' : `${job.tool}${job.toolVersion ? ` ${job.toolVersion}` : ''}`],
    ['Created', job.createdAt],
    ['Started', job.startedAt ?? '—'],
    ['Completed', job.completedAt ?? '—'],
    ['Exit code', job.exitCode === null ? '—' : String(job.exitCode)],
    ['Log', job.logFile === null ? '—' : join(session.workspace.layout.path, job.logFile)],
  ];
  if (job.progress) rows.push(['Progress', `${job.progress.done}${job.progress.total === null ? '' : ` / ${job.progress.total}`} ${job.progress.unit}`.trim()]);
  if (job.error) rows.push(['Error', job.error]);
  ctx.out(`Job ${job.id}`);
  for (const [k, v] of rows) ctx.out(`  ${`${k}:`.padEnd(11)} ${v}`);
}

const SHOW = 'benchtop jobs show ID';
const LOGS = 'benchtop jobs logs ID [--follow]';
const KILL = 'benchtop jobs kill ID';
const READ_BYTES = 1024 * 1024;

/** Prints a log from `offset` to its current end, whole lines at a time (the rest is returned). */
async function printFrom(session: Session, id: number, offset: number, carry: string, out: (line: string) => void): Promise<{ offset: number; carry: string }> {
  for (;;) {
    const slice = await session.jobs.logRead(id, offset, READ_BYTES);
    if (slice.next <= offset) return { offset, carry };
    const cut = logLines(carry, slice.text);
    carry = cut.carry;
    for (const line of cut.lines) out(line);
    offset = slice.next;
  }
}

export const jobsCommands: CliCommand[] = [
  {
    words: ['jobs', 'show'],
    usage: SHOW,
    summary: 'One job: its run and step, status, command, tool, times, exit code and log file',
    options: {},
    run: (ctx, _values, args) =>
      withSession(ctx, async (session) => {
        const job = await session.call('jobs.get', { id: jobId(args, SHOW) });
        if (ctx.json) printJson(ctx, job);
        else describe(ctx, session, job);
      }),
  },
  {
    words: ['jobs', 'logs'],
    usage: LOGS,
    summary: "Print a job's log; --follow keeps printing what it writes until it ends (with --json: the whole log as one string)",
    options: { follow: { type: 'boolean', short: 'f' } },
    run: (ctx, values, args) =>
      withSession(ctx, async (session) => {
        const id = jobId(args, LOGS);
        session.jobs.get(id); // not_found before anything else
        // With --json the log is one string in the document, printed once the log (or the job) has ended.
        const lines: string[] = [];
        const print = ctx.json ? (line: string) => void lines.push(line) : ctx.out;
        let state = await printFrom(session, id, 0, '', print);
        if (values.follow) {
          for (;;) {
            const ended = TERMINAL_JOB_STATUSES.includes(session.jobs.get(id).status);
            state = await printFrom(session, id, state.offset, state.carry, print);
            if (ended) break;
            await new Promise((r) => setTimeout(r, 250));
          }
        }
        if (state.carry !== '') print(state.carry);
        if (ctx.json) printJson(ctx, { id, status: session.jobs.get(id).status, log: lines.join('\n') });
      }),
  },
  {
    words: ['jobs', 'kill'],
    usage: KILL,
    summary: 'Kill a job: its whole process group gets TERM, then KILL after a grace period',
    options: {},
    run: (ctx, _values, args) =>
      withSession(ctx, async (session) => {
        const job = await session.call('jobs.kill', { id: jobId(args, KILL) });
        if (ctx.json) printJson(ctx, job);
        else ctx.out(`Job ${job.id} (${job.step}, attempt ${job.attempt}) is ${job.status}.`);
      }),
  },
];
