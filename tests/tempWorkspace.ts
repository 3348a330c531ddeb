import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from '../electron/api/session';
import type { Host } from '../electron/api/host';

/** A temp folder holding a workspace and a config dir, so tests never touch the user's own. */
export function tempDirs(prefix = 'benchtop-test-'): { root: string; workspace: string; config: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  return {
    root,
    workspace: join(root, 'workspace'),
    config: join(root, 'config'),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

export function openTestSession(dirs: { workspace: string; config: string }, host: Partial<Host> = {}): Session {
  return Session.open(
    { mode: 'cli', configDir: dirs.config, electronVersion: null, dialogs: null, ...host },
    { workspace: dirs.workspace, env: {} },
  );
}
