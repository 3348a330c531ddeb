import { createHash } from 'node:crypto';
import { constants, createReadStream, createWriteStream } from 'node:fs';
import { access, stat, symlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApiError } from '../../shared/errors';
import type { RunInput } from '../../shared/schemas/runs';
import { expand } from '../workspace/resolve';

/** One input as requested: a role (R1, R2 …) and the source file. */
export interface InputRequest {
  role: string;
  path: string;
}

export interface CheckedSource {
  role: string;
  /** Absolute. */
  source: string;
  size: number;
}

const CHUNK = 1024 * 1024;

/**
 * Every source must be an existing, readable regular file, and every role given once. Checked
 * before anything is created, so a bad input leaves nothing behind.
 */
export async function checkSources(inputs: readonly InputRequest[]): Promise<CheckedSource[]> {
  const seen = new Set<string>();
  const out: CheckedSource[] = [];
  for (const input of inputs) {
    if (seen.has(input.role)) throw new ApiError('invalid_request', `Input role ${input.role} is given twice: each role takes one file.`);
    seen.add(input.role);
    const source = expand(input.path);
    let info;
    try {
      info = await stat(source);
    } catch {
      throw new ApiError('invalid_request', `Input ${input.role}: ${source} does not exist.`);
    }
    if (!info.isFile()) throw new ApiError('invalid_request', `Input ${input.role}: ${source} is not a regular file.`);
    try {
      await access(source, constants.R_OK);
    } catch {
      throw new ApiError('invalid_request', `Input ${input.role}: ${source} is not readable.`);
    }
    out.push({ role: input.role, source, size: info.size });
  }
  return out;
}

/** The sha256 and size of a file, read as a stream (a multi-GB FASTQ never sits in memory). */
export async function hashFile(file: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** Copies `src` to a new file `dest`, hashing the bytes as they pass. */
export async function copyHashing(src: string, dest: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  await pipeline(createReadStream(src, { highWaterMark: CHUNK }), tap, createWriteStream(dest, { flags: 'wx' }));
  return { bytes, sha256: hash.digest('hex') };
}

/** `R1.fastq.gz` → `R1_2.fastq.gz`: the extension is everything after the first dot (but a leading one). */
export function suffixed(name: string, n: number): string {
  const dot = name.indexOf('.', 1);
  return dot === -1 ? `${name}_${n}` : `${name.slice(0, dot)}_${n}${name.slice(dot)}`;
}

/**
 * Copies or links each source into `<runDir>/rawdata/`, recording size and sha256. The caller
 * removes the run's folder when this throws.
 */
export async function ingestInputs(runDirPath: string, sources: readonly CheckedSource[], mode: 'copy' | 'link'): Promise<RunInput[]> {
  const used = new Set<string>();
  const out: RunInput[] = [];
  for (const { role, source } of sources) {
    const base = basename(source);
    let name = base;
    for (let n = 2; used.has(name); n++) name = suffixed(base, n);
    used.add(name);
    const dest = join(runDirPath, 'rawdata', name);
    let result: { bytes: number; sha256: string };
    try {
      if (mode === 'copy') {
        result = await copyHashing(source, dest);
      } else {
        await symlink(source, dest);
        result = await hashFile(source);
      }
    } catch (err) {
      throw new ApiError('io_error', `Input ${role}: could not ${mode} ${source} into the run: ${(err as Error).message}`);
    }
    out.push({ role, name, path: `rawdata/${name}`, bytes: result.bytes, sha256: result.sha256, mode, originalPath: source });
  }
  return out;
}
