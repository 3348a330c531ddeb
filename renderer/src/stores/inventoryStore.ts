import { create } from 'zustand';
import type { ApiErrorBody } from '../../../shared/errors';
import type { DbInventory } from '../../../shared/schemas/workspace';
import { toErrorBody } from '../lib/errors';
import { request } from './connectionStore';

interface InventoryStore {
  inventory: DbInventory | null;
  loading: boolean;
  error: ApiErrorBody | null;
  load: () => Promise<void>;
  /** Forget the old workspace's inventory and load it again if it was asked for before. */
  reset: () => void;
}

let generation = 0;
/** Kept across resets, for the reason lookupsStore gives: a switch may be announced twice. */
let requested = false;

/** db.inventory: the central database's tables and their row counts. */
export const useInventoryStore = create<InventoryStore>()((set, get) => ({
  inventory: null,
  loading: false,
  error: null,
  async load() {
    requested = true;
    const mine = ++generation;
    set({ loading: true });
    try {
      const inventory = await request('db.inventory', {});
      if (mine === generation) set({ inventory, loading: false, error: null });
    } catch (error) {
      if (mine === generation) set({ loading: false, error: toErrorBody(error) });
    }
  },
  reset() {
    generation++;
    set({ inventory: null, loading: false, error: null });
    if (requested) void get().load();
  },
}));

/** Rows of one table of the inventory, or null when the inventory (or the table) is not there. */
export function rowsOf(inventory: DbInventory | null, table: string): number | null {
  return inventory?.tables.find((t) => t.name === table)?.rows ?? null;
}
