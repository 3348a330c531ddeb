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

const COMMANDS: CliCommand[] = [
  {
    words: ['init'],
    usage: 'benchtop init [--workspace DIR] [--json]',
    summary: 'Create the workspace, or migrate its databases, and print table and lookup counts',
    options: {},
    run: (ctx) => initCommand(ctx),
  },
  {
    words: ['status'],
    usage: 'benchtop status [--workspace DIR] [--json]',
    summary: 'Pipeline status: experiments, basecall runs, runs and jobs by status, runs ready for SMA analysis',
    options: {},
    run: (ctx) => statusCommand(ctx),
  },
  {
    words: ['serve'],
    usage: 'benchtop serve [--workspace DIR] [--port N]',
    summary: 'Serve the app to a browser on this machine (127.0.0.1 only, with a private token)',
    options: { port: { type: 'string', short: 'p' } },
    run: (ctx, values) =>
      serveCommand(ctx, {
        port: values.port === undefined ? undefined : parsePort(String(values.port)),
        rendererDir: fileURLToPath(new URL('../renderer/', import.meta.url)),
      }),
  },
  {
    words: ['db', 'backup'],
    usage: 'benchtop db backup [--to FILE] [--workspace DIR] [--json]',
    summary: 'Copy the central database consistently (default: <workspace>/backups/)',
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
    usage: 'benchtop tools [--refresh] [--json]',
    summary: 'Every tool the steps need: found or not, version, path, and how to install a missing one',
    options: { refresh: { type: 'boolean' } },
    run: (ctx, values) => toolsCommand(ctx, { refresh: Boolean(values.refresh) }),
  },
  {
    words: ['tools', 'set-path'],
    usage: 'benchtop tools set-path NAME (PATH | --clear) [--json]',
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

function usage(): string {
  const lines = [
    `Benchtop ${APP_VERSION} — the sequencing lab's workbench, on the command line.`,
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.usage}\n      ${c.summary}`),
    '',
    'Every command takes --workspace DIR (or the BENCHTOP_WORKSPACE environment variable);',
    'without either it uses the workspace chosen in the app, else ~/Benchtop.',
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

export async function main(argv: string[], out = (line: string) => process.stdout.write(`${line}\n`)): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    out(usage());
    return 0;
  }
  if (argv[0] === '--version') {
    out(APP_VERSION);
    return 0;
  }
  const found = findCommand(argv);
  if (!found) {
    process.stderr.write(`benchtop: unknown command ${JSON.stringify(argv.filter((a) => !a.startsWith('-')).join(' '))}\n\n${usage()}\n`);
    return 2;
  }
  const { command, rest } = found;
  let values: OptionValues;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: rest, options: { ...COMMON, ...command.options }, allowPositionals: true, strict: true }));
  } catch (err) {
    process.stderr.write(`benchtop ${command.words.join(' ')}: ${(err as Error).message}\nUsage: ${command.usage}\n`);
    return 2;
  }
  if (values.help) {
    out(`Usage: ${command.usage}\n${command.summary}`);
    return 0;
  }
  const ctx: CliContext = { workspace: values.workspace as string | undefined, json: Boolean(values.json), out };
  try {
    await command.run(ctx, values, positionals);
    return 0;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`benchtop ${command.words.join(' ')}: ${message}\n`);
    return 1;
  }
}
