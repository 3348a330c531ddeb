import { existsSync, lstatSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, sep } from 'node:path';
import { ApiError } from '../../shared/errors';
import type { WorkspaceLayout } from '../workspace/layout';

/** Run ids are UUIDs when Benchtop makes them; anything that could leave runs/ is refused. */
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const STEP_ID = /^[a-z][a-z0-9_]{0,63}$/;

export function assertRunId(id: string): string {
  if (!RUN_ID.test(id)) throw new ApiError('invalid_request', `${JSON.stringify(id)} is not a run id.`);
  return id;
}

/** `<workspace>/runs/<id>`. */
export function runDir(layout: WorkspaceLayout, id: string): string {
  return join(layout.runsDir, assertRunId(id));
}

/**
 * `<workspace>/runs/.<id>.<pid>.partial`: where a new run's folder is filled before it takes its
 * name (same folder, so the same file system: the final rename is atomic). The pid of the process
 * filling it is in the name from the first moment, so another process can tell a creation in
 * progress from one whose process died.
 */
export function partialRunDir(layout: WorkspaceLayout, id: string, pid = process.pid): string {
  return join(layout.runsDir, `.${assertRunId(id)}.${pid}.partial`);
}

/** The run id and pid of a `partialRunDir` name, or null for any other name. */
export function parsePartialRunDir(name: string): { id: string; pid: number } | null {
  const m = /^\.(.+)\.(\d+)\.partial$/.exec(name);
  if (!m?.[1] || !RUN_ID.test(m[1])) return null;
  return { id: m[1], pid: Number(m[2]) };
}

/** `<workspace>/runs/<id>/<step>`: a step's outputs. */
export function stepDir(layout: WorkspaceLayout, id: string, step: string): string {
  if (!STEP_ID.test(step)) throw new ApiError('invalid_request', `${JSON.stringify(step)} is not a step id.`);
  return join(runDir(layout, id), step);
}

/** `<workspace>/runs/<id>/logs`. */
export function logsDir(layout: WorkspaceLayout, id: string): string {
  return join(runDir(layout, id), 'logs');
}

/** A run's input that was linked rather than copied: a symlink from rawdata/ to the user's own file. */
export interface LinkedInput {
  /** Relative to the run's folder, as recorded (rawdata/<name>). */
  path: string;
  /** The absolute target recorded when the link was made. */
  originalPath: string;
  mode: 'copy' | 'link';
}

/**
 * Splits a path relative to a run's folder into its segments, refusing what could name anything
 * else: NUL, absolute paths (POSIX or Windows style), `..` segments. `''` and `.` name the folder.
 */
export function relativeSegments(relPath: string): string[] {
  const shown = JSON.stringify(relPath);
  if (relPath.includes('\0')) throw new ApiError('outside_workspace', `The path ${shown} contains a NUL character.`);
  if (isAbsolute(relPath) || /^[A-Za-z]:/.test(relPath) || relPath.startsWith('\\')) {
    throw new ApiError('outside_workspace', `The path ${shown} is absolute: paths are relative to the run's folder.`);
  }
  const segments = relPath.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw new ApiError('outside_workspace', `The path ${shown} leaves the run's folder (..).`);
  return segments;
}

export function isInside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);
}

/**
 * The real path of `relPath` inside run `runId`'s folder, every symlink resolved. Refused with
 * `outside_workspace` when the path is absolute, has `..`, holds NUL, or resolves (through links)
 * to anything outside the run's folder. That includes the run's own linked inputs: they point at
 * the user's files by design, and reading a run's files back (previews, the report frame) must
 * never become a way to read an arbitrary file. Pass the run's inputs (RunDetail.inputs) so the
 * refusal can say that the path is a linked input.
 * A path that does not exist yet resolves through its deepest existing ancestor (so it can name an
 * output to be written); a dangling symlink on the way is refused, as writing through it would escape.
 */
export function resolveInRun(
  layout: WorkspaceLayout,
  runId: string,
  relPath: string,
  inputs: readonly LinkedInput[] = [],
): string {
  const segments = relativeSegments(relPath);
  const shown = JSON.stringify(relPath);
  const root = runDir(layout, runId);
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    throw new ApiError('not_found', `Run ${runId} has no folder (${root}): it was deleted or never created.`);
  }
  const lexical = join(root, ...segments);
  const rel = segments.join('/');
  const linked = inputs.find((i) => i.mode === 'link' && relativeSegments(i.path).join('/') === rel);
  let resolved: string;
  try {
    resolved = resolveExisting(lexical, root, shown);
  } catch (err) {
    if (linked && err instanceof ApiError && err.code === 'outside_workspace' && !existsSync(linked.originalPath)) {
      throw new ApiError('not_found', `The linked input ${rel} points to ${linked.originalPath}, which no longer exists.`);
    }
    throw err;
  }
  if (isInside(resolved, realRoot)) return resolved;
  if (linked) {
    throw new ApiError(
      'outside_workspace',
      `${rel} is a linked input of run ${runId} (a link to ${linked.originalPath}): Benchtop shows only files inside the run's folder. Open the original file instead.`,
    );
  }
  throw new ApiError('outside_workspace', `The path ${shown} leads outside run ${runId}'s folder.`);
}

/** realpath of `p`, or of its deepest existing ancestor (at or below `stop`) plus the rest. */
function resolveExisting(p: string, stop: string, shown: string): string {
  const rest: string[] = [];
  let current = p;
  for (;;) {
    try {
      return join(realpathSync(current), ...rest);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw new ApiError('outside_workspace', `The path ${shown} runs in a symlink loop.`);
        if ((err as NodeJS.ErrnoException).code !== 'ENOTDIR') throw err;
      }
    }
    let isLink: boolean;
    try {
      isLink = lstatSync(current).isSymbolicLink();
    } catch {
      isLink = false;
    }
    if (isLink) throw new ApiError('outside_workspace', `The path ${shown} goes through a symlink whose target does not exist.`);
    if (current === stop) throw new ApiError('not_found', `The run's folder ${stop} does not exist.`);
    rest.unshift(basename(current));
    current = dirname(current);
  }
}
