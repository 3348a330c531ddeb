import { z } from 'zod';

/** The 12 lookup tables of seed 000. Users may add rows; the seed's rows are never duplicated. */
export const LOOKUP_TABLES = [
  'lk_pore_types',
  'lk_flow_cells',
  'lk_sequencing_kits',
  'lk_basecall_models',
  'lk_modifications',
  'lk_construct_types',
  'lk_fragment_types',
  'lk_end_reasons',
  'lk_extraction_methods',
  'lk_size_selection',
  'lk_library_status',
  'lk_run_purposes',
] as const;
export const LookupTable = z.enum(LOOKUP_TABLES);
export type LookupTable = z.infer<typeof LookupTable>;

export const LookupColumn = z.object({
  name: z.string(),
  type: z.enum(['TEXT', 'INTEGER', 'REAL']),
  primaryKey: z.boolean(),
});

export const LookupTableInfo = z.object({
  table: LookupTable,
  label: z.string(),
  columns: z.array(LookupColumn),
  rows: z.number().int().nonnegative(),
});
export type LookupTableInfo = z.infer<typeof LookupTableInfo>;

export const LookupValue = z.union([z.string().max(10_000), z.number().finite(), z.null()]);
export const LookupRow = z.record(z.string(), LookupValue);
export type LookupRow = z.infer<typeof LookupRow>;
