/**
 * The genome index cache: `<workspace>/references/<first 16 hex of the FASTA file's sha256>/`
 *
 *   genome.fa             the FASTA (hard link to the user's file, or a symlink across file
 *                         systems; decompressed when the user's file is .gz)
 *   source.json           where it came from (path, size, full sha256, optional download URL)
 *   <aligner>/genome.*    the index (`bwa index -p`, or `bwa-mem2 index -p`)
 *   <aligner>/.complete   written LAST: an index folder without it is half-built and is rebuilt
 *   .lock                 held while checking/building (pid inside); a lock whose process is gone
 *                         is stale and taken over
 *
 * Indexing happens once per genome; later runs (from any run in the workspace) reuse it.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, linkSync, mkdirSync, openSync, closeSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync, writeSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { InputError, LINE_LIMITS, LineSource, TextWriter, isGzipFile } from './fastq';
import { runTool } from './proc';
import { Progress, count, type Log } from './progress';
import { pidAlive } from '../../jobs/proc';

export type Aligner = 'bwa' | 'bwa-mem2';

export interface ReferenceIndex {
  dir: string;
  /** The index prefix to give the aligner. */
  prefix: string;
  aligner: Aligner;
  sha256: string;
  cached: boolean;
}

/** sha256 of a file's bytes, streamed. */
export async function sha256File(path: string, progress?: Progress): Promise<string> {
  const hash = createHash('sha256');
  const stream = createReadStream(path, { highWaterMark: 1024 * 1024 });
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    progress?.update(stream.bytesRead);
  }
  return hash.digest('hex');
}

export interface FastaCheck {
  sequences: number;
  bases: number;
}

/**
 * Validates a FASTA (plain or gzip) while streaming it, optionally copying its decompressed text to
 * `copyTo`. Errors name the file and line: an empty file, a first line that is not a '>' header, a
 * header with no sequence, characters that are not IUPAC letters.
 */
export async function checkFasta(path: string, label: string, copyTo?: string): Promise<FastaCheck> {
  if (!existsSync(path)) throw new InputError(`genome file not found: ${path}`);
  if (statSync(path).size === 0) throw new InputError(`${label}: the genome file is empty (expected a FASTA file with at least one sequence)`);
  const source = new LineSource(path, LINE_LIMITS.fasta, label);
  const writer = copyTo ? new TextWriter(copyTo, { gzip: false }) : null;
  let line = 0;
  let sequences = 0;
  let bases = 0;
  let basesInCurrent = -1;
  let currentName = '';
  const endSequence = () => {
    if (basesInCurrent === 0) throw new InputError(`${label} line ${line}: sequence ${JSON.stringify(currentName)} has no bases`);
  };
  try {
    for (let batch = await source.nextBatch(); batch; batch = await source.nextBatch()) {
      for (const text of batch) {
        line++;
        if (text.startsWith('>')) {
          endSequence();
          currentName = text.slice(1).split(/\s/)[0] ?? '';
          if (!currentName) throw new InputError(`${label} line ${line}: a '>' header without a sequence name`);
          sequences++;
          basesInCurrent = 0;
        } else if (text.trim() === '') {
          continue;
        } else if (sequences === 0) {
          throw new InputError(`${label} line ${line}: not a FASTA file (the first line does not start with '>')`);
        } else {
          if (!/^[A-Za-z*-]+$/.test(text.trim())) throw new InputError(`${label} line ${line}: not a FASTA sequence line (${JSON.stringify(text.slice(0, 40))})`);
          basesInCurrent += text.trim().length;
          bases += text.trim().length;
        }
        if (writer) await writer.write(`${text}\n`);
      }
    }
    line++;
    endSequence();
  } catch (err) {
    source.close();
    if (writer) await writer.close().catch(() => undefined);
    const e = err as NodeJS.ErrnoException;
    if (typeof e.code === 'string' && e.code.startsWith('Z_')) throw new InputError(`${label}: the gzip data is truncated or corrupt (${e.message})`);
    throw err;
  }
  if (writer) await writer.close();
  if (sequences === 0) throw new InputError(`${label}: no sequences (expected a FASTA file with at least one '>' header)`);
  return { sequences, bases };
}

/**
 * An exclusive lock file (O_EXCL create). A lock left by a process that no longer runs on this
 * machine is removed. Waits (logging once) while another live process holds it.
 */
export async function acquireLock(path: string, log: Log, pollMs = 1000): Promise<() => void> {
  let told = false;
  for (;;) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rmSync(path, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let holder: { pid?: number; host?: string } = {};
    try {
      holder = JSON.parse(readFileSync(path, 'utf8')) as typeof holder;
    } catch {
      // Being written right now, or garbage: look again shortly, then treat garbage as stale.
      await sleep(50);
      try {
        holder = JSON.parse(readFileSync(path, 'utf8')) as typeof holder;
      } catch {
        holder = {};
      }
    }
    const sameHost = !holder.host || holder.host === hostname();
    if (sameHost && (typeof holder.pid !== 'number' || !pidAlive(holder.pid))) {
      log(`removing a stale lock ${path} (its process ${holder.pid ?? '?'} is gone)`);
      try {
        unlinkSync(path);
      } catch {
        /* someone else took it over */
      }
      continue;
    }
    if (!told) {
      log(`waiting: another run (pid ${holder.pid}) is preparing this genome index (${path})`);
      told = true;
    }
    await sleep(pollMs);
  }
}

export interface PrepareOptions {
  genome: string;
  referencesDir: string;
  aligner: Aligner;
  /** The executable for the chosen aligner. */
  alignerPath: string;
  genomeTarUrl?: string | undefined;
  log: Log;
}

/** Finds or builds the cached index for `genome`. */
export async function prepareReference(o: PrepareOptions): Promise<ReferenceIndex> {
  const { log } = o;
  const label = o.genome;
  if (!existsSync(o.genome)) throw new InputError(`genome file not found: ${o.genome}`);
  const st = statSync(o.genome);
  if (!st.isFile()) throw new InputError(`${label}: not a file`);
  if (st.size === 0) throw new InputError(`${label}: the genome file is empty (expected a FASTA file with at least one sequence)`);
  log(`hashing ${o.genome} (${count(st.size)} bytes)`);
  const sha256 = await sha256File(o.genome, new Progress(log, 'bytes', st.size));
  const dir = join(o.referencesDir, sha256.slice(0, 16));
  const indexDir = join(dir, o.aligner);
  const prefix = join(indexDir, 'genome');
  const complete = join(indexDir, '.complete');
  mkdirSync(dir, { recursive: true });
  const release = await acquireLock(join(dir, '.lock'), log);
  const onSignal = (signal: NodeJS.Signals) => {
    release();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    if (existsSync(complete)) {
      log(`using the cached ${o.aligner} index in ${indexDir}`);
      return { dir, prefix, aligner: o.aligner, sha256, cached: true };
    }
    log(`building the ${o.aligner} index in ${indexDir} (once for this genome)`);
    rmSync(indexDir, { recursive: true, force: true });
    mkdirSync(indexDir, { recursive: true });
    const fasta = join(dir, 'genome.fa');
    rmSync(fasta, { force: true });
    if (isGzipFile(o.genome)) {
      const check = await checkFasta(o.genome, label, `${fasta}.partial`);
      renameSync(`${fasta}.partial`, fasta);
      log(`decompressed ${check.sequences} sequences, ${count(check.bases)} bases`);
    } else {
      const check = await checkFasta(o.genome, label);
      log(`${check.sequences} sequences, ${count(check.bases)} bases`);
      try {
        linkSync(o.genome, fasta);
      } catch {
        symlinkSync(o.genome, fasta);
      }
    }
    writeFileSync(join(dir, 'source.json'), `${JSON.stringify({ path: o.genome, bytes: st.size, sha256, genomeTarUrl: o.genomeTarUrl ?? null, added: new Date().toISOString() }, null, 2)}\n`);
    await runTool([o.alignerPath, 'index', '-p', prefix, fasta], { log });
    writeFileSync(complete, `${JSON.stringify({ aligner: o.aligner, sha256, built: new Date().toISOString() })}\n`);
    return { dir, prefix, aligner: o.aligner, sha256, cached: false };
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    release();
  }
}
