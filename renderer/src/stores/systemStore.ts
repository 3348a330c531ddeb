import { create } from 'zustand';
import type { ApiErrorBody } from '../../../shared/errors';
import type { PipelineStatus, SystemInfo, SystemStatus } from '../../../shared/schemas/system';
import type { WorkspaceInfo } from '../../../shared/schemas/workspace';
import { toErrorBody } from '../lib/errors';
import { request } from './connectionStore';

interface SystemStore {
  status: SystemStatus | null;
  info: SystemInfo | null;
  pipeline: PipelineStatus | null;
  workspace: WorkspaceInfo | null;
  /** A load is in flight (the first one, or a refresh: the previous values stay shown meanwhile). */
  loading: boolean;
  /** The first failure of the last load; values that did load are still shown. */
  error: ApiErrorBody | null;
  /** When the last load that fully succeeded finished (ms since the epoch): the age of what is shown. */
  updatedAt: number | null;
  /** system.status, system.info (once), pipeline.status and workspace.get. */
  load: () => Promise<void>;
  /** workspace.get alone: the header's cheap heartbeat. */
  loadWorkspace: () => Promise<void>;
  /** A new workspace is open: forget what belonged to the old one. */
  workspaceChanged: (workspace: WorkspaceInfo) => void;
}

let generation = 0;

export const useSystemStore = create<SystemStore>()((set, get) => ({
  status: null,
  info: null,
  pipeline: null,
  workspace: null,
  loading: false,
  error: null,
  updatedAt: null,

  async load() {
    const mine = ++generation;
    set({ loading: true });
    const [status, info, pipeline, workspace] = await Promise.allSettled([
      request('system.status', {}),
      get().info ? Promise.resolve(get().info as SystemInfo) : request('system.info', {}),
      request('pipeline.status', {}),
      request('workspace.get', {}),
    ]);
    // A newer load (a refresh, a workspace switch) started meanwhile: its answer wins.
    if (mine !== generation) return;
    const failed = [status, info, pipeline, workspace].find((r) => r.status === 'rejected');
    set((s) => ({
      status: status.status === 'fulfilled' ? status.value : s.status,
      info: info.status === 'fulfilled' ? info.value : s.info,
      pipeline: pipeline.status === 'fulfilled' ? pipeline.value : s.pipeline,
      workspace: workspace.status === 'fulfilled' ? workspace.value : s.workspace,
      loading: false,
      error: failed ? toErrorBody(failed.reason) : null,
      updatedAt: failed ? s.updatedAt : Date.now(),
    }));
  },

  async loadWorkspace() {
    const mine = generation;
    try {
      const workspace = await request('workspace.get', {});
      if (mine === generation) set({ workspace });
    } catch (error) {
      if (mine === generation) set({ error: toErrorBody(error) });
    }
  },

  workspaceChanged(workspace) {
    generation++;
    set({ workspace, status: null, pipeline: null, error: null, loading: false });
  },
}));
