import { create } from 'zustand';
import type { ApiErrorBody } from '../../../shared/errors';
import type { TrustState } from '../../../shared/schemas/steps';
import { toErrorBody } from '../lib/errors';
import { request } from './connectionStore';

interface TrustStore {
  /** Whether the open workspace's own step definitions may run, and what each would run. */
  state: TrustState | null;
  error: ApiErrorBody | null;
  busy: boolean;
  /** The definitions' hash the user answered "Not now" to: the prompt comes back when they change. */
  dismissedHash: string | null;
  /** Bumped when the trust changed: pages reload their steps, tools and preflight. */
  revision: number;
  load: () => Promise<void>;
  trust: (hash: string) => Promise<void>;
  dismiss: () => void;
  review: () => void;
  /** Another workspace is open. */
  reset: () => void;
}

export const useTrustStore = create<TrustStore>()((set, get) => ({
  state: null,
  error: null,
  busy: false,
  dismissedHash: null,
  revision: 0,

  async load() {
    try {
      const state = await request('steps.trustState', {});
      const before = get().state;
      const changed = before !== null && (before.trusted !== state.trusted || before.hash !== state.hash);
      set((s) => ({ state, error: null, revision: changed ? s.revision + 1 : s.revision }));
    } catch (err) {
      set({ error: toErrorBody(err) });
    }
  },

  async trust(hash) {
    set({ busy: true, error: null });
    try {
      const state = await request('steps.trust', { hash });
      set((s) => ({ state, busy: false, revision: s.revision + 1 }));
    } catch (err) {
      set({ busy: false, error: toErrorBody(err) });
      // The definitions changed since they were shown: show the new ones.
      void get().load();
    }
  },

  dismiss() {
    set((s) => ({ dismissedHash: s.state?.hash ?? null }));
  },

  review() {
    set({ dismissedHash: null });
  },

  reset() {
    set((s) => ({ state: null, error: null, dismissedHash: null, revision: s.revision + 1 }));
  },
}));
