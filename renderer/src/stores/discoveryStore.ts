import { create } from 'zustand';
import type { ApiErrorBody } from '../../../shared/errors';
import type { DiscoveryProgress } from '../../../shared/schemas/experiments';
import { subscribe } from '../api/client';
import { laterReport } from '../lib/discoveryReports';
import { toErrorBody } from '../lib/errors';
import { request } from './connectionStore';

interface DiscoveryStore {
  /** The folders typed into the Discover panel (kept while moving between pages). */
  folders: string[];
  /** The last scan started from this window, live. */
  scan: DiscoveryProgress | null;
  error: ApiErrorBody | null;
  setFolders: (folders: string[]) => void;
  /** Offer the folders this workspace was last scanned on, unless some are typed in already. */
  loadFolders: () => Promise<void>;
  start: () => Promise<void>;
  cancel: () => Promise<void>;
}

let unsubscribe: (() => void) | null = null;

export const useDiscoveryStore = create<DiscoveryStore>()((set, get) => ({
  folders: [''],
  scan: null,
  error: null,
  setFolders: (folders) => set({ folders }),

  async loadFolders() {
    try {
      const { folders } = await request('experiments.discoveryFolders', {});
      if (folders.length > 0 && get().folders.every((f) => f.trim() === '')) set({ folders });
    } catch {
      // nothing remembered: the panel starts with an empty folder
    }
  },

  async start() {
    const dirs = get().folders.map((f) => f.trim()).filter(Boolean);
    if (dirs.length === 0) {
      set({ error: { code: 'invalid_request', message: 'Type the path of at least one folder to scan.' } });
      return;
    }
    set({ error: null });
    // Events may arrive before the answer: listen first, keep those of the scan that is ours.
    unsubscribe?.();
    const early: DiscoveryProgress[] = [];
    let scanId: string | null = null;
    unsubscribe = subscribe('discovery.progress', (p) => {
      if (scanId === null) early.push(p);
      else if (p.scanId === scanId) set({ scan: laterReport(get().scan, p) });
    });
    try {
      scanId = (await request('experiments.discover', { dirs })).scanId;
      const mine = early.filter((p) => p.scanId === scanId).at(-1);
      set({ scan: laterReport(get().scan, mine ?? { scanId, state: 'running', foldersScanned: 0, runsFound: 0, added: 0, updated: 0, unchanged: 0, expIds: [], error: null }) });
    } catch (err) {
      unsubscribe?.();
      unsubscribe = null;
      set({ error: toErrorBody(err) });
    }
  },

  async cancel() {
    const scan = get().scan;
    if (!scan) return;
    try {
      const answer = await request('experiments.cancelDiscovery', { scanId: scan.scanId });
      set({ scan: laterReport(get().scan, answer) });
    } catch (err) {
      set({ error: toErrorBody(err) });
    }
  },
}));
