import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ApiError } from '../../shared/errors';
import { APP_VERSION } from '../system/version';
import type { CliCommand, CliContext, OptionValues } from './context';
import { dbBackupCommand, dbCommands } from './commands/db';
import { initCommand } from './commands/init';
import { serveCommand } from './commands/serve';
import { statusCommand } from './commands/status';
import { toolsCommand, toolsSetPathCommand } from './commands/tools';
import { jobsCommands } from './commands/jobs';
import { runsCommands } from './commands/runs';
import { launchCommands } from './commands/launch';
import { BUILTIN_COMMANDS } from './commands/builtin';
import { qcCommand } from './commands/qc';
import { experimentsCommands } from './commands/experiments';
import { SMA_COMMANDS } from './commands/sma';
import { librariesCommands } from './commands/libraries';
import { stepsCommands } from './commands/steps';
import { demoCommands } from './commands/demo';

const COMMON: CliCommand['options'] = {
  workspace: { type: 'string', short: 'w' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

const ALL: CliCommand[] = [
  {
    words: ['init'],
    usage: 'benchtop init',
    summary: 'Create the workspace, or migrate its databases, and print table and lookup counts',
    options: {},
    run: (ctx) => initCommand(ctx),
  },
  {
    words: ['status'],
    usage: 'benchtop status',
    summary: 'Pipeline status: experiments, basecall runs, runs and jobs by status, runs ready for SMA analysis',
    options: {},
    run: (ctx) => statusCommand(ctx),
  },
  {
    words: ['serve'],
    usage: 'benchtop serve [--port N]',
    summary: 'Serve the app to a browser on this machine (127.0.0.1 only, with a private token; port 7411, else any free one)',
    options: { port: { type: 'string', short: 'p' } },
    run: (ctx, values) =>
      serveCommand(ctx, {
        port: values.port === undefined ? undefined : parsePort(String(values.port)),
        rendererDir: fileURLToPath(new URL('../renderer/', import.meta.url)),
      }),
  },
  {
    words: ['db', 'backup'],
    usage: 'benchtop db backup [--to FILE]',
    summary: 'Verified copies of the central and every reads database in <workspace>/backups/ (or of the central one to FILE)',
    options: { to: { type: 'string' } },
    run: (ctx, values) => dbBackupCommand(ctx, values.to as string | undefined),
  },
  ...dbCommands,
  // runs commands
  ...runsCommands,
  ...launchCommands,
  // jobs commands
  ...jobsCommands,
  // steps and tools commands
  ...stepsCommands,
  {
    words: ['tools'],
    usage: 'benchtop tools [--refresh]',
    summary: 'Every tool the steps need: found or not, version, path, and how to install a missing one',
    options: { refresh: { type: 'boolean' } },
    run: (ctx, values) => toolsCommand(ctx, { refresh: Boolean(values.refresh) }),
  },
  {
    words: ['tools', 'set-path'],
    usage: 'benchtop tools set-path NAME (PATH | --clear)',
    summary: 'Use this executable for a tool instead of the one on PATH (--clear: back to PATH)',
    options: { clear: { type: 'boolean' } },
    run: (ctx, values, args) => toolsSetPathCommand(ctx, args[0], args[1], Boolean(values.clear)),
  },
  // library specs commands
  ...librariesCommands,
  // builtin step commands
  ...BUILTIN_COMMANDS,
  qcCommand,
  // experiments and basecall runs commands
  ...experimentsCommands,
  ...SMA_COMMANDS,
  ...demoCommands,
];

/** A command's usage line, with --json when it takes it (--workspace, which every command takes, is left out). */
export function usageLine(command: CliCommand): string {
  return command.noJson === undefined ? `${command.usage} [--json]` : command.usage;
}

/** The command list as `benchtop --help --json` prints it (README's command table is made from it). */
export function commandList(): { words: string[]; usage: string; summary: string; json: boolean }[] {
  return COMMANDS.map((c) => ({ words: c.words, usage: usageLine(c), summary: c.summary, json: c.noJson === undefined }));
}

/**
 * Every command, in the order `benchtop --help` and README's command table list them: the steps' own
 * processes (`builtin …`, started by the job runner) last.
 */
export const COMMANDS: CliCommand[] = [...ALL.filter((c) => c.words[0] !== 'builtin'), ...ALL.filter((c) => c.words[0] === 'builtin')];

function usage(): string {
  const lines = [
    `Benchtop ${APP_VERSION} — the sequencing lab's workbench, on the command line.`,
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${usageLine(c)}\n      ${c.summary}`),
    '',
    'Every command takes --workspace DIR (or the BENCHTOP_WORKSPACE environment variable);',
    'without either it uses the workspace chosen in the app, else ~/Benchtop.',
    'With --json, stdout is exactly one JSON document; progress, logs and messages go to stderr.',
  ];
  return lines.join('\n');
}

function parsePort(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ApiError('invalid_request', `--port must be a whole number from 0 to 65535, not ${JSON.stringify(text)}.`);
  return n;
}

/** The options every command takes that carry a value: their value is never a command word. */
const GLOBAL_VALUE_OPTIONS = new Set(['--workspace']);

function findCommand(argv: string[]): { command: CliCommand; rest: string[] } | null {
  const wordAt: number[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (GLOBAL_VALUE_OPTIONS.has(argv[i] as string)) i++;
    else if (!(argv[i] as string).startsWith('-')) wordAt.push(i);
  }
  for (const command of [...COMMANDS].sort((a, b) => b.words.length - a.words.length)) {
    if (command.words.every((w, i) => argv[wordAt[i] as number] === w)) {
      const used = new Set(wordAt.slice(0, command.words.length));
      return { command, rest: argv.filter((_, i) => !used.has(i)) };
    }
  }
  return null;
}

const HELP_WORDS = new Set(['--help', '-h', 'help']);

export async function main(
  argv: string[],
  out = (line: string) => process.stdout.write(`${line}\n`),
  err = (line: string) => process.stderr.write(`${line}\n`),
): Promise<number> {
  const asJson = (value: unknown) => out(JSON.stringify(value, null, 2));
  if (argv.length === 0 || HELP_WORDS.has(argv[0]!)) {
    if (argv.includes('--json')) asJson({ version: APP_VERSION, commands: commandList() });
    else out(usage());
    return 0;
  }
  if (argv[0] === '--version') {
    if (argv.includes('--json')) asJson({ version: APP_VERSION });
    else out(APP_VERSION);
    return 0;
  }
  const found = findCommand(argv);
  if (!found) {
    err(`benchtop: unknown command ${JSON.stringify(argv.filter((a) => !a.startsWith('-')).join(' '))}\n\n${usage()}`);
    return 2;
  }
  const { command, rest } = found;
  const name = `benchtop ${command.words.join(' ')}`;
  let values: OptionValues;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: rest, options: { ...COMMON, ...command.options }, allowPositionals: true, strict: true }));
  } catch (error) {
    err(`${name}: ${(error as Error).message}\nUsage: ${usageLine(command)}`);
    return 2;
  }
  const json = Boolean(values.json);
  if (values.help) {
    if (json) asJson(commandList().find((c) => c.words === command.words));
    else out(`Usage: ${usageLine(command)}\n${command.summary}`);
    return 0;
  }
  if (json && command.noJson !== undefined) {
    err(`${name} does not take --json: ${command.noJson}.`);
    return 2;
  }
  const ctx: CliContext = { workspace: values.workspace as string | undefined, json, out, note: json ? err : out };
  try {
    await command.run(ctx, values, positionals);
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    err(`${name}: ${message}`);
    return 1;
  }
}
