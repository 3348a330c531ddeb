import type { ParseArgsConfig } from 'node:util';
import { Session } from '../api/session';
import { serveHost } from '../serve/fileLinks';
import { configDir } from '../workspace/settings';
import { LINE_LIMITS } from '../pipelines/qslam/fastq';

export interface CliContext {
  /** Options common to every command. */
  workspace: string | undefined;
  /** With --json, stdout carries exactly one JSON document (printJson); every other line goes to `note`. */
  json: boolean;
  out: (line: string) => void;
  /** A line for the person, beside the result: on stdout, or on stderr when stdout carries JSON. */
  note: (line: string) => void;
}

/** Every command works on a Session opened the way the app opens one (flag, env, setting, default). */
export function openCliSession(ctx: CliContext, mode: 'cli' | 'serve' = 'cli'): Session {
  const host = mode === 'serve' ? serveHost(configDir()) : { mode, configDir: configDir(), electronVersion: null, dialogs: null };
  return Session.open(host, { workspace: ctx.workspace });
}

export function printJson(ctx: CliContext, value: unknown): void {
  ctx.out(JSON.stringify(value, null, 2));
}

/**
 * A log's text cut into whole lines, the unfinished end kept for the next chunk; an unfinished end
 * past the table line limit (a job printing without newlines) is printed as it is, so memory stays
 * bounded whatever the job writes.
 */
export function logLines(carry: string, text: string): { lines: string[]; carry: string } {
  const lines = (carry + text).split('\n');
  const rest = lines.pop() ?? '';
  if (rest.length <= LINE_LIMITS.table) return { lines, carry: rest };
  lines.push(rest);
  return { lines, carry: '' };
}

/** Left-aligned columns, for the human-readable output of list commands. */
export function table(rows: ReadonlyArray<ReadonlyArray<string | number>>, indent = ''): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, String(cell).length)));
  return rows.map((row) => indent + row.map((cell, i) => (i === row.length - 1 ? String(cell) : String(cell).padEnd(widths[i] ?? 0))).join('  '));
}

export type OptionValues = Record<string, string | boolean | Array<string | boolean> | undefined>;

/** One `benchtop …` command: the words that name it, its options, and what it does. */
export interface CliCommand {
  words: string[];
  /** Without the options every command takes (--workspace, and --json unless refused). */
  usage: string;
  /** One line, as in `benchtop --help` and README's command table. */
  summary: string;
  /** Why this command refuses --json (it prints a step's log or a stream of lines, not one result). */
  noJson?: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(ctx: CliContext, values: OptionValues, args: string[]): Promise<void>;
}

/** Open the session, run `fn`, close the session whatever happens. */
export async function withSession<T>(ctx: CliContext, fn: (session: Session) => Promise<T>): Promise<T> {
  const session = openCliSession(ctx);
  try {
    return await fn(session);
  } finally {
    session.close();
  }
}
