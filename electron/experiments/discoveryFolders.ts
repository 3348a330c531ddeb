import { readSettings, writeSettings } from '../workspace/settings';

/**
 * The folders last scanned for MinKNOW runs, per workspace: `discoveryFolders: { workspace path:
 * [folders] }` in the user's settings.json, so the Discover panel offers them again.
 */
function allFolders(configDir: string): Record<string, string[]> {
  const raw = (readSettings(configDir) as Record<string, unknown>).discoveryFolders;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const out: Record<string, string[]> = {};
  for (const [workspace, folders] of Object.entries(raw)) {
    if (Array.isArray(folders)) out[workspace] = folders.filter((f): f is string => typeof f === 'string' && f !== '');
  }
  return out;
}

export function readDiscoveryFolders(configDir: string, workspace: string): string[] {
  return allFolders(configDir)[workspace] ?? [];
}

export function writeDiscoveryFolders(configDir: string, workspace: string, folders: readonly string[]): void {
  writeSettings(configDir, { discoveryFolders: { ...allFolders(configDir), [workspace]: [...folders] } });
}
