import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The folders of a workspace, as the user sees them in their file manager. */
export interface WorkspaceLayout {
  path: string;
  centralDb: string;
  readsDir: string;
  runsDir: string;
  referencesDir: string;
  stepsDir: string;
  backupsDir: string;
}

export function workspaceLayout(dir: string): WorkspaceLayout {
  const path = resolve(dir);
  return {
    path,
    centralDb: join(path, 'benchtop.db'),
    readsDir: join(path, 'reads'),
    runsDir: join(path, 'runs'),
    referencesDir: join(path, 'references'),
    stepsDir: join(path, 'steps'),
    backupsDir: join(path, 'backups'),
  };
}

export function createWorkspaceFolders(layout: WorkspaceLayout): void {
  for (const dir of [layout.path, layout.readsDir, layout.runsDir, layout.referencesDir, layout.stepsDir, layout.backupsDir]) {
    mkdirSync(dir, { recursive: true });
  }
}
