import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folders a module's code may live in: this module's source folder (electron/system) under vitest, dist/cli (ESM) or
 * dist/electron (CommonJS) when built (everything is one bundle there).
 */
export function moduleDirs(): string[] {
  const dirs: string[] = [];
  if (typeof __dirname === 'string') dirs.push(__dirname);
  try {
    // Empty in the CommonJS build (esbuild), where __dirname above is the answer.
    const url = (import.meta as { url?: string }).url;
    if (typeof url === 'string' && url.startsWith('file:')) dirs.push(dirname(fileURLToPath(url)));
  } catch {
    // not an ES module
  }
  return dirs;
}
