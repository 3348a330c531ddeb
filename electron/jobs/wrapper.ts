import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { moduleDirs } from '../system/moduleDirs';

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
