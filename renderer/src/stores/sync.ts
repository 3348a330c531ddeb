import type { WorkspaceInfo } from '../../../shared/schemas/workspace';
import { subscribe } from '../api/client';
import { useInventoryStore } from './inventoryStore';
import { useLookupsStore } from './lookupsStore';
import { useSystemStore } from './systemStore';
import { useTrustStore } from './trustStore';

/**
 * Another workspace is open (switched here, or by another window on the same server): everything
 * the stores hold belonged to the old one. Reload what is on screen; the rest reloads when shown.
 */
export function onWorkspaceChanged(workspace: WorkspaceInfo): void {
  const lookupsWereLoaded = useLookupsStore.getState().tables !== null;
  const inventoryWasLoaded = useInventoryStore.getState().inventory !== null;
  useSystemStore.getState().workspaceChanged(workspace);
  useLookupsStore.getState().reset();
  useInventoryStore.getState().reset();
  useTrustStore.getState().reset();
  void useSystemStore.getState().load();
  if (lookupsWereLoaded) void useLookupsStore.getState().loadTables();
  if (inventoryWasLoaded) void useInventoryStore.getState().load();
}

/** Called once at start-up, outside React (so StrictMode's double effects cannot subscribe twice). */
export function startSync(): () => void {
  void useSystemStore.getState().load();
  return subscribe('workspace.changed', onWorkspaceChanged);
}
