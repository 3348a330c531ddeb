/**
 * Running external tools from a built-in step: argv arrays only (never a shell), stderr streamed
 * into the step's log, pipes between processes built in code, and a failure of any process in a
 * pipe reported with the tool's own last words.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';
import { basename, delimiter, isAbsolute, join } from 'node:path';
import type { Readable } from 'node:stream';
import { LINE_LIMITS, lineBatches } from './fastq';
import type { Log } from './progress';

export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolError';
  }
}

/** The absolute path of an executable: `explicit` if given (and executable), else the first on PATH. */
export function which(name: string, explicit?: string | undefined, env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates = explicit ? [explicit] : isAbsolute(name) ? [name] : (env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, name));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      if (statSync(c).isFile()) return c;
    } catch {
      /* next */
    }
  }
  return null;
}

export function requireTool(name: string, explicit?: string | undefined): string {
  const found = which(name, explicit);
  if (found) return found;
  throw new ToolError(explicit ? `${name}: ${explicit} is not an executable file` : `${name} was not found on PATH (install the Debian package ${name}, or set its path on the Tools page)`);
}

export interface RunOptions {
  log: Log;
  cwd?: string | undefined;
  /** Write the child's stdout to this file (in code, not through a shell). */
  stdoutFile?: string | undefined;
  /** Return true to keep a stderr line out of the log (the caller counts it instead). */
  quietStderr?: ((line: string) => boolean) | undefined;
  /** Called for each stderr line that is logged (for progress parsing). */
  onStderr?: ((line: string) => void) | undefined;
  env?: NodeJS.ProcessEnv | undefined;
}

/** "samtools sort", "bwa mem", "bedtools bamtobed": how a failure names the process. */
export function toolLabel(argv: readonly string[]): string {
  const sub = argv[1] && !argv[1].startsWith('-') && !argv[1].includes('/') ? ` ${argv[1]}` : '';
  return `${basename(argv[0] ?? '?')}${sub}`;
}

interface Watched {
  child: ChildProcess;
  label: string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderrTail: string[];
  stderrDone: Promise<void>;
}

function start(argv: readonly string[], stdio: ['ignore' | 'pipe', 'ignore' | 'pipe', 'pipe'], o: RunOptions): Watched {
  const [cmd, ...args] = argv;
  if (!cmd) throw new ToolError('empty command');
  const child = spawn(cmd, args, { cwd: o.cwd, stdio, env: o.env ?? process.env });
  const label = toolLabel(argv);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', (err) => reject(new ToolError(`cannot start ${label} (${cmd}): ${err.message}`)));
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  const stderrTail: string[] = [];
  const stderrDone = (async () => {
    try {
      for await (const batch of lineBatches(child.stderr as Readable, LINE_LIMITS.table, `${label} (its messages)`)) {
        for (const line of batch) {
          if (o.quietStderr?.(line)) continue;
          stderrTail.push(line);
          if (stderrTail.length > 5) stderrTail.shift();
          o.onStderr?.(line);
          o.log(line);
        }
      }
    } catch (err) {
      // A message line this long is not a message: stop the tool, and say why as its last words.
      stderrTail.push((err as Error).message);
      child.kill('SIGTERM');
    }
  })();
  return { child, label, exit, stderrTail, stderrDone };
}

async function finish(w: Watched): Promise<void> {
  const { code, signal } = await w.exit;
  await w.stderrDone;
  if (code === 0) return;
  const why = signal ? `was stopped by ${signal}` : `exited with code ${code}`;
  const last = w.stderrTail.filter((l) => l.trim()).slice(-1)[0];
  throw new ToolError(`${w.label} ${why}${last ? `: ${last.trim()}` : ''}`);
}

/** Runs one process to completion; its stdout goes to `stdoutFile` or is discarded. */
export async function runTool(argv: readonly string[], o: RunOptions): Promise<void> {
  const w = start(argv, ['ignore', o.stdoutFile ? 'pipe' : 'ignore', 'pipe'], o);
  let written: Promise<unknown> = Promise.resolve();
  if (o.stdoutFile && w.child.stdout) {
    const file = createWriteStream(o.stdoutFile);
    w.child.stdout.pipe(file);
    written = once(file, 'finish');
    written.catch(() => undefined);
  }
  await finish(w);
  await written;
}

/**
 * `producer | consumer`, piped in code: the producer's stdout feeds the consumer's stdin. Both are
 * awaited; if either fails the error names it (the consumer first: a producer killed by SIGPIPE is
 * only the consequence of a consumer that died).
 */
export async function runPipe(producer: readonly string[], consumer: readonly string[], o: RunOptions & { consumerStdoutFile?: string }): Promise<void> {
  const c = start(consumer, ['pipe', o.consumerStdoutFile ? 'pipe' : 'ignore', 'pipe'], o);
  const p = start(producer, ['ignore', 'pipe', 'pipe'], o);
  c.child.stdin?.on('error', () => undefined); // EPIPE when the consumer dies: reported through its exit
  p.child.stdout?.pipe(c.child.stdin as NodeJS.WritableStream);
  let written: Promise<unknown> = Promise.resolve();
  if (o.consumerStdoutFile && c.child.stdout) {
    const file = createWriteStream(o.consumerStdoutFile);
    c.child.stdout.pipe(file);
    written = once(file, 'finish');
    written.catch(() => undefined);
  }
  const [pr, cr] = await Promise.allSettled([finish(p), finish(c)]);
  if (cr.status === 'rejected') {
    if (p.child.exitCode === null) p.child.kill('SIGTERM');
    throw cr.reason;
  }
  if (pr.status === 'rejected') throw pr.reason;
  await written;
}

/**
 * A process whose stdout is read in batches of lines (with backpressure: it waits while we are busy).
 * Its lines may be SAM records, which carry a whole read: they get the FASTQ line limit.
 */
export function spawnLines(argv: readonly string[], o: RunOptions): { batches: AsyncIterable<string[]>; done: () => Promise<void>; kill: () => void } {
  const w = start(argv, ['ignore', 'pipe', 'pipe'], o);
  const exited = finish(w);
  exited.catch(() => undefined);
  return { batches: lineBatches(w.child.stdout as Readable, LINE_LIMITS.fastq, w.label), done: () => exited, kill: () => w.child.kill('SIGTERM') };
}

/** A process we write to: `write` waits for 'drain' when the child is slower than us. */
export function spawnSink(argv: readonly string[], o: RunOptions): { write: (text: string) => Promise<void>; end: () => Promise<void>; kill: () => void } {
  const w = start(argv, ['pipe', 'ignore', 'pipe'], o);
  const stdin = w.child.stdin as NodeJS.WritableStream;
  let failed: Error | null = null;
  stdin.on('error', (err: Error) => (failed = err));
  const exited = finish(w);
  exited.catch(() => undefined);
  return {
    async write(text: string) {
      if (failed) await exited; // throws the tool's own error if it died
      if (!stdin.write(text)) await Promise.race([once(stdin, 'drain'), exited.then(() => undefined)]);
    },
    async end() {
      stdin.end();
      await exited;
    },
    kill: () => w.child.kill('SIGTERM'),
  };
}
