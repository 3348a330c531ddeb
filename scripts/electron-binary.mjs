// Finds the Electron binary WITHOUT ever downloading it. (`require('electron')` would: in
// Electron 45, node_modules/electron/index.js runs its installer when the binary is missing.)
//
//   ELECTRON_OVERRIDE_DIST_PATH=/opt/electron  → /opt/electron/<executable>
//   otherwise                                  → node_modules/electron/dist/<path.txt>
//
// Usable as a module (`locateElectronBinary()`, `findElectronBinary()`) and as a command:
// `node scripts/electron-binary.mjs` prints the path, or says where it looked and exits 1.
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const PROJECT_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** The executable's path inside Electron's dist folder (as electron/install.js writes path.txt). */
export function platformExecutable(platform = process.platform) {
  switch (platform) {
    case 'darwin':
    case 'mas':
      return 'Electron.app/Contents/MacOS/Electron';
    case 'win32':
      return 'electron.exe';
    default:
      return 'electron';
  }
}

/** node_modules/electron of the project, found by resolving its package.json (which runs nothing). */
export function electronPackageDir(root = PROJECT_ROOT) {
  try {
    const require = createRequire(join(root, 'package.json'));
    return dirname(require.resolve('electron/package.json'));
  } catch {
    return join(root, 'node_modules', 'electron');
  }
}

function isExecutableFile(file) {
  try {
    if (!statSync(file).isFile()) return false;
    if (process.platform !== 'win32') accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * @param {{ root?: string, env?: NodeJS.ProcessEnv, platform?: string }} [options]
 * @returns {{ path: string | null, lookedAt: string }} the binary (null when absent) and where it was looked for
 */
export function locateElectronBinary(options = {}) {
  const root = options.root ?? PROJECT_ROOT;
  const env = options.env ?? process.env;
  const pkgDir = electronPackageDir(root);
  let relative = '';
  try {
    relative = readFileSync(join(pkgDir, 'path.txt'), 'utf8').trim();
  } catch {
    // No path.txt: Electron's installer never finished (it writes the file after the download).
  }
  const executable = relative || platformExecutable(options.platform);
  const lookedAt = env.ELECTRON_OVERRIDE_DIST_PATH
    ? resolve(env.ELECTRON_OVERRIDE_DIST_PATH, executable)
    : join(pkgDir, 'dist', executable);
  return { path: isExecutableFile(lookedAt) ? lookedAt : null, lookedAt };
}

/** The Electron binary's path, or null when it is not installed. */
export function findElectronBinary(options = {}) {
  return locateElectronBinary(options).path;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { path, lookedAt } = locateElectronBinary();
  if (path) {
    console.log(path);
  } else {
    console.error(`No Electron binary at ${lookedAt}.`);
    process.exitCode = 1;
  }
}
