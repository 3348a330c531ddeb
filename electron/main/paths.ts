import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app } from 'electron';

/**
 * Where the built pieces are, next to this bundle (dist/electron/main.cjs), in development and
 * inside the packaged app.asar alike.
 */
export const PRELOAD_FILE = join(__dirname, 'preload.cjs');
export const RENDERER_DIR = join(__dirname, '..', 'renderer');

/** resources/ (step definitions, the job wrapper, icons): the checkout's, or the installed copy (extraResources). */
export function resourcesDir(): string {
  return app.isPackaged ? join(process.resourcesPath, 'resources') : join(__dirname, '..', '..', 'resources');
}

/** The window icon (Linux and Windows show it; macOS uses the bundle's). */
export function windowIcon(): string | undefined {
  const icon = join(resourcesDir(), 'icons', '256x256.png');
  return existsSync(icon) ? icon : undefined;
}
