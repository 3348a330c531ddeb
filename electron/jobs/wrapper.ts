import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { moduleDirs } from '../system/moduleDirs';
import { ownGroupLeaders } from './proc';

const WRAPPER = join('resources', 'job-wrapper.sh');

let cached: string | undefined;

/**
 * The fixed job wrapper (resources/job-wrapper.sh): looked for beside a packaged app's archive
 * (process.resourcesPath), then in the package root above this module (the source tree, or dist/
 * when built), then above the entry script.
 */
export function jobWrapperPath(): string {
  if (cached !== undefined && existsSync(cached)) return cached;
  const starts: string[] = [];
  // A packaged app: electron-builder's extraResources put resources/ beside app.asar.
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  if (typeof resourcesPath === 'string') starts.push(resourcesPath);
  starts.push(...moduleDirs());
  if (process.argv[1]) starts.push(dirname(resolve(process.argv[1])));
  for (const start of starts) {
    let dir = start;
    for (let i = 0; i < 6; i++) {
      const candidate = join(dir, WRAPPER);
      // A file inside an asar archive is no file to /bin/sh.
      if (!candidate.includes('.asar') && existsSync(candidate)) return (cached = candidate);
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error(`Benchtop's job wrapper (${WRAPPER}) is missing from this installation.`);
}

/** The wrapper's command line for a job: `/bin/sh WRAPPER EXIT_FILE -- PROGRAM [ARG...]`. */
export function wrapperArgs(wrapper: string, exitFile: string, argv: readonly string[]): string[] {
  return [wrapper, exitFile, '--', ...argv];
}

/**
 * The running job wrappers of this user, by the exit file each was called with (as
 * `canonicalExitFile` spells it). A job is found again by its wrapper's command line rather than
 * by its environment: the exit file names one attempt of one step in one workspace, where a job
 * id alone is the same number in every workspace; and a command line is there to read whenever
 * the process is, while the environment is inherited by the job's own children too. Only
 * process-group leaders count: a job's process group is the wrapper's, and a subshell of the
 * wrapper shares its command line but not its pid.
 */
export function liveWrappers(): Map<string, number> {
  const found = new Map<string, number>();
  for (const { pid, argv } of ownGroupLeaders()) {
    const [, script, exitFile, dashdash] = argv;
    if (script === undefined || exitFile === undefined || dashdash !== '--' || basename(script) !== basename(WRAPPER)) continue;
    found.set(canonicalExitFile(exitFile), pid);
  }
  return found;
}

/** The exit file's path with its folder's links resolved, so one workspace opened by two paths still matches. */
export function canonicalExitFile(file: string): string {
  try {
    return join(realpathSync(dirname(file)), basename(file));
  } catch {
    return resolve(file);
  }
}
