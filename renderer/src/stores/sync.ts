import type { WorkspaceInfo } from '../../../shared/schemas/workspace';
import { subscribe } from '../api/client';
import { useInventoryStore } from './inventoryStore';
import { useLookupsStore } from './lookupsStore';
import { useSystemStore } from './systemStore';
import { useTrustStore } from './trustStore';

/**
 * Another workspace is open (switched here, or by another window on the same server): everything
 * the stores hold belonged to the old one. Each store reloads what it was asked for before; cards that hold their own data reload when
 * the workspace in the system store changes.
 */
export function onWorkspaceChanged(workspace: WorkspaceInfo): void {
  useSystemStore.getState().workspaceChanged(workspace);
  useLookupsStore.getState().reset();
  useInventoryStore.getState().reset();
  useTrustStore.getState().reset();
  void useSystemStore.getState().load();
}

/** Called once at start-up, outside React (so StrictMode's double effects cannot subscribe twice). */
export function startSync(): () => void {
  void useSystemStore.getState().load();
  return subscribe('workspace.changed', onWorkspaceChanged);
}
