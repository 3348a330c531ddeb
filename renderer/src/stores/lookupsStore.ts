import { create } from 'zustand';
import type { ApiErrorBody } from '../../../shared/errors';
import type { LookupRow, LookupTable, LookupTableInfo } from '../../../shared/schemas/lookups';
import { toErrorBody } from '../lib/errors';
import { request } from './connectionStore';

interface LookupsStore {
  tables: LookupTableInfo[] | null;
  tablesError: ApiErrorBody | null;
  rows: Partial<Record<LookupTable, LookupRow[]>>;
  rowsError: Partial<Record<LookupTable, ApiErrorBody>>;
  loadTables: () => Promise<void>;
  loadRows: (table: LookupTable) => Promise<void>;
  /** lookups.add; resolves with the stored row, rejects with the ApiError (conflict, invalid_request …). */
  add: (table: LookupTable, row: LookupRow) => Promise<LookupRow>;
  /** Forget the old workspace's rows and load again what was asked for before. */
  reset: () => void;
}

let generation = 0;
/**
 * What has been asked for, kept across resets: a workspace switch may be announced twice (by the
 * switch's answer and by its event), and the second reset would otherwise discard the first's
 * reload while the pages, which load only what is missing, see nothing missing anew.
 */
let tablesRequested = false;
const rowsRequested = new Set<LookupTable>();

export const useLookupsStore = create<LookupsStore>()((set, get) => ({
  tables: null,
  tablesError: null,
  rows: {},
  rowsError: {},

  async loadTables() {
    tablesRequested = true;
    const mine = generation;
    try {
      const tables = await request('lookups.tables', {});
      if (mine === generation) set({ tables, tablesError: null });
    } catch (error) {
      if (mine === generation) set({ tablesError: toErrorBody(error) });
    }
  },

  async loadRows(table) {
    rowsRequested.add(table);
    const mine = generation;
    try {
      const rows = await request('lookups.list', { table });
      if (mine === generation) set((s) => ({ rows: { ...s.rows, [table]: rows }, rowsError: { ...s.rowsError, [table]: undefined } }));
    } catch (error) {
      if (mine === generation) set((s) => ({ rowsError: { ...s.rowsError, [table]: toErrorBody(error) } }));
    }
  },

  async add(table, row) {
    const stored = await request('lookups.add', { table, row });
    await Promise.all([get().loadTables(), get().rows[table] ? get().loadRows(table) : Promise.resolve()]);
    return stored;
  },

  reset() {
    generation++;
    set({ tables: null, tablesError: null, rows: {}, rowsError: {} });
    if (tablesRequested) void get().loadTables();
    for (const table of rowsRequested) void get().loadRows(table);
  },
}));
