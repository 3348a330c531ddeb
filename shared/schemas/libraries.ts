import { z } from 'zod';
import type { LookupTable } from './lookups';

/**
 * The library specification tables of seed 000, described once: the server validates rows against
 * these fields (lookups, bounds, required) and the renderer draws its forms from them.
 */
export type FieldKind = 'text' | 'integer' | 'real' | 'bool';

export interface LibField {
  name: string;
  label: string;
  kind: FieldKind;
  required?: boolean;
  /** The seed's column default, written when the field is left empty on a new row. */
  default?: string | number;
  /** The value must be a key of this lookup table. */
  lookup?: { table: LookupTable; column: string };
  /** The value must be one of these (a vocabulary the seed has no lookup table for). */
  options?: readonly string[];
  min?: number;
  max?: number;
  /** A DNA sequence: IUPAC letters only, stored upper-case. */
  dna?: boolean;
  /** A date, YYYY-MM-DD. */
  date?: boolean;
  multiline?: boolean;
  /** Computed by Benchtop (length, GC): shown, never typed. */
  computed?: boolean;
  /** JSON text (annotations, positions): kept as written, checked to parse. */
  json?: boolean;
}

export const CHILD_TABLES = ['constructs', 'fragments', 'modifications', 'barcodes', 'sample_prep', 'qc_thresholds', 'custom_fields'] as const;
export const ChildTable = z.enum(CHILD_TABLES);
export type ChildTable = z.infer<typeof ChildTable>;

export interface ChildTableDef {
  sqlTable: string;
  label: string;
  /** Primary key column; integer keys are the database's own (not exported). */
  idColumn: string;
  idKind: 'text' | 'integer';
  /** The prefix of generated text ids. */
  idPrefix?: string;
  /** The column that points at the parent row, and the parent's kind. */
  parentColumn: string;
  parent: 'library' | 'constructs' | 'fragments';
  fields: readonly LibField[];
}

const fraction = { kind: 'real', min: 0, max: 1 } as const;
const count = { kind: 'integer', min: 0 } as const;

export const STRANDS = ['+', '-', 'both'] as const;
export const MOD_STATUSES = ['present', 'absent', 'partial', 'unknown'] as const;
export const RELATIONSHIPS = ['primary', 'secondary', 'control', 'replicate'] as const;
export const CUSTOM_ENTITY_TYPES = ['library', 'construct', 'fragment', 'barcode', 'sample_prep'] as const;
export const CUSTOM_FIELD_TYPES = ['text', 'number', 'integer', 'boolean', 'date'] as const;

export const SPEC_FIELDS: readonly LibField[] = [
  { name: 'lib_name', label: 'Name', kind: 'text', required: true },
  { name: 'lib_version', label: 'Version', kind: 'text', default: '1.0' },
  { name: 'description', label: 'Description', kind: 'text', multiline: true },
  { name: 'created_by', label: 'Created by', kind: 'text' },
  { name: 'project', label: 'Project', kind: 'text' },
  { name: 'pore_type', label: 'Pore type', kind: 'text', lookup: { table: 'lk_pore_types', column: 'pore_type' } },
  { name: 'flow_cell_type', label: 'Flow cell type', kind: 'text', lookup: { table: 'lk_flow_cells', column: 'flow_cell_type' } },
  { name: 'sequencing_kit', label: 'Sequencing kit', kind: 'text', lookup: { table: 'lk_sequencing_kits', column: 'kit_id' } },
  { name: 'status', label: 'Status', kind: 'text', default: 'draft', lookup: { table: 'lk_library_status', column: 'status' } },
];

export const CHILD_DEFS: Record<ChildTable, ChildTableDef> = {
  constructs: {
    sqlTable: 'lib_constructs',
    label: 'Constructs',
    idColumn: 'construct_id',
    idKind: 'text',
    idPrefix: 'CON',
    parentColumn: 'lib_id',
    parent: 'library',
    fields: [
      { name: 'name', label: 'Name', kind: 'text', required: true },
      { name: 'aliases', label: 'Aliases', kind: 'text' },
      { name: 'construct_type', label: 'Type', kind: 'text', lookup: { table: 'lk_construct_types', column: 'construct_type' } },
      { name: 'sequence', label: 'Sequence', kind: 'text', dna: true, multiline: true },
      { name: 'length', label: 'Length (bp)', kind: 'integer', computed: true },
      { name: 'gc_content', label: 'GC fraction', kind: 'real', computed: true },
      { name: 'source_file', label: 'Source file', kind: 'text' },
      { name: 'source_format', label: 'Source format', kind: 'text' },
      { name: 'genbank_accession', label: 'GenBank accession', kind: 'text' },
      { name: 'annotations_json', label: 'Annotations (JSON)', kind: 'text', json: true, multiline: true },
      { name: 'organism', label: 'Organism', kind: 'text' },
    ],
  },
  fragments: {
    sqlTable: 'lib_fragments',
    label: 'Fragments',
    idColumn: 'fragment_id',
    idKind: 'text',
    idPrefix: 'FRG',
    parentColumn: 'construct_id',
    parent: 'constructs',
    fields: [
      { name: 'name', label: 'Name', kind: 'text', required: true },
      { name: 'fragment_type', label: 'Type', kind: 'text', lookup: { table: 'lk_fragment_types', column: 'fragment_type' } },
      { name: 'sequence', label: 'Sequence', kind: 'text', dna: true, multiline: true },
      { name: 'expected_len', label: 'Expected length (bp)', ...count },
      { name: 'len_min', label: 'Minimum length (bp)', ...count },
      { name: 'len_max', label: 'Maximum length (bp)', ...count },
      { name: 'len_tolerance', label: 'Length tolerance (bp)', ...count, default: 150 },
      { name: 'prep_method', label: 'Preparation method', kind: 'text' },
      { name: 'restriction_sites', label: 'Restriction sites', kind: 'text' },
      { name: 'primer_fwd', label: 'Forward primer', kind: 'text', dna: true },
      { name: 'primer_rev', label: 'Reverse primer', kind: 'text', dna: true },
      { name: 'expected_strand', label: 'Expected strand', kind: 'text', options: STRANDS },
      { name: 'strand_ratio', label: 'Strand ratio (+)', ...fraction, default: 0.5 },
      { name: 'adapter_5p', label: "5' adapter", kind: 'text', dna: true },
      { name: 'adapter_3p', label: "3' adapter", kind: 'text', dna: true },
      { name: 'ligation_method', label: 'Ligation method', kind: 'text' },
      { name: 'is_sequenceable', label: 'Sequenceable', kind: 'bool', default: 1 },
      { name: 'sequenceable_notes', label: 'Sequenceability notes', kind: 'text' },
      { name: 'expected_fraction', label: 'Expected fraction', ...fraction },
    ],
  },
  modifications: {
    sqlTable: 'lib_modifications',
    label: 'Modifications',
    idColumn: 'mod_id',
    idKind: 'integer',
    parentColumn: 'fragment_id',
    parent: 'fragments',
    fields: [
      { name: 'mod_code', label: 'Modification', kind: 'integer', required: true, lookup: { table: 'lk_modifications', column: 'mod_code' } },
      { name: 'mod_type', label: 'Modification type', kind: 'text', computed: true },
      { name: 'expected_status', label: 'Expected status', kind: 'text', required: true, options: MOD_STATUSES },
      { name: 'expected_fraction', label: 'Expected fraction', ...fraction },
      { name: 'position_type', label: 'Position type', kind: 'text' },
      { name: 'positions_json', label: 'Positions (JSON)', kind: 'text', json: true },
      { name: 'motif', label: 'Motif', kind: 'text' },
      { name: 'modification_source', label: 'Source', kind: 'text' },
      { name: 'enzyme_used', label: 'Enzyme', kind: 'text' },
      { name: 'notes', label: 'Notes', kind: 'text', multiline: true },
    ],
  },
  barcodes: {
    sqlTable: 'lib_barcodes',
    label: 'Barcodes',
    idColumn: 'barcode_id',
    idKind: 'text',
    idPrefix: 'BC',
    parentColumn: 'lib_id',
    parent: 'library',
    fields: [
      { name: 'barcode_kit', label: 'Barcode kit', kind: 'text', lookup: { table: 'lk_sequencing_kits', column: 'kit_id' } },
      { name: 'barcode_name', label: 'Barcode', kind: 'text' },
      { name: 'barcode_sequence', label: 'Barcode sequence', kind: 'text', dna: true },
      { name: 'sample_name', label: 'Sample', kind: 'text', required: true },
      { name: 'sample_description', label: 'Sample description', kind: 'text' },
      { name: 'expected_fragments', label: 'Expected fragments', kind: 'text' },
      { name: 'expected_constructs', label: 'Expected constructs', kind: 'text' },
      { name: 'min_reads', label: 'Minimum reads', ...count },
      { name: 'min_purity', label: 'Minimum purity', ...fraction },
      { name: 'replicate_group', label: 'Replicate group', kind: 'text' },
      { name: 'condition', label: 'Condition', kind: 'text' },
      { name: 'notes', label: 'Notes', kind: 'text', multiline: true },
    ],
  },
  sample_prep: {
    sqlTable: 'lib_sample_prep',
    label: 'Sample preparation',
    idColumn: 'prep_id',
    idKind: 'text',
    idPrefix: 'PREP',
    parentColumn: 'lib_id',
    parent: 'library',
    fields: [
      { name: 'input_type', label: 'Input type', kind: 'text' },
      { name: 'extraction_method', label: 'Extraction method', kind: 'text', lookup: { table: 'lk_extraction_methods', column: 'method' } },
      { name: 'extraction_kit', label: 'Extraction kit', kind: 'text' },
      { name: 'input_mass_ng', label: 'Input mass (ng)', kind: 'real', min: 0 },
      { name: 'qubit_conc_ng_ul', label: 'Qubit (ng/µl)', kind: 'real', min: 0 },
      { name: 'nanodrop_260_280', label: 'NanoDrop 260/280', kind: 'real', min: 0 },
      { name: 'nanodrop_260_230', label: 'NanoDrop 260/230', kind: 'real', min: 0 },
      { name: 'size_selection', label: 'Size selection', kind: 'text', lookup: { table: 'lk_size_selection', column: 'method' } },
      { name: 'size_cutoff_bp', label: 'Size cut-off (bp)', ...count },
      { name: 'fragmentation', label: 'Fragmentation', kind: 'text' },
      { name: 'target_length_bp', label: 'Target length (bp)', ...count },
      { name: 'library_kit', label: 'Library kit', kind: 'text', lookup: { table: 'lk_sequencing_kits', column: 'kit_id' } },
      { name: 'library_protocol', label: 'Library protocol', kind: 'text' },
      { name: 'end_repair', label: 'End repair', kind: 'bool', default: 1 },
      { name: 'a_tailing', label: 'A-tailing', kind: 'bool', default: 1 },
      { name: 'adapter_ligation', label: 'Adapter ligation', kind: 'bool', default: 1 },
      { name: 'final_mass_ng', label: 'Final mass (ng)', kind: 'real', min: 0 },
      { name: 'final_conc_ng_ul', label: 'Final concentration (ng/µl)', kind: 'real', min: 0 },
      { name: 'bioanalyzer_file', label: 'Bioanalyzer file', kind: 'text' },
      { name: 'prep_date', label: 'Date', kind: 'text', date: true },
      { name: 'prepped_by', label: 'Prepared by', kind: 'text' },
      { name: 'notes', label: 'Notes', kind: 'text', multiline: true },
    ],
  },
  qc_thresholds: {
    sqlTable: 'lib_qc_thresholds',
    label: 'QC thresholds',
    idColumn: 'lib_id',
    idKind: 'text',
    parentColumn: 'lib_id',
    parent: 'library',
    fields: [
      { name: 'min_mean_qscore', label: 'Minimum mean Q', kind: 'real', min: 0, default: 10.0 },
      { name: 'min_median_qscore', label: 'Minimum median Q', kind: 'real', min: 0, default: 12.0 },
      { name: 'target_qscore', label: 'Target Q', kind: 'real', min: 0, default: 20.0 },
      { name: 'min_purity', label: 'Minimum purity', ...fraction, default: 0.8 },
      { name: 'target_purity', label: 'Target purity', ...fraction, default: 0.95 },
      { name: 'max_error_rate', label: 'Maximum error rate', ...fraction, default: 0.1 },
      { name: 'target_error_rate', label: 'Target error rate', ...fraction, default: 0.02 },
      { name: 'min_n50', label: 'Minimum N50', ...count },
      { name: 'target_n50', label: 'Target N50', ...count },
      { name: 'min_signal_positive', label: 'Minimum signal_positive fraction', ...fraction },
      { name: 'max_unblock', label: 'Maximum unblock fraction', ...fraction },
      { name: 'min_reads', label: 'Minimum reads', ...count },
      { name: 'target_reads', label: 'Target reads', ...count },
      { name: 'min_bases', label: 'Minimum bases', ...count },
      { name: 'target_bases', label: 'Target bases', ...count },
      { name: 'custom_thresholds', label: 'Custom thresholds (JSON)', kind: 'text', json: true, multiline: true },
      { name: 'notes', label: 'Notes', kind: 'text', multiline: true },
    ],
  },
  custom_fields: {
    sqlTable: 'lib_custom_fields',
    label: 'Custom fields',
    idColumn: 'id',
    idKind: 'integer',
    parentColumn: 'lib_id',
    parent: 'library',
    fields: [
      { name: 'entity_type', label: 'Applies to', kind: 'text', options: CUSTOM_ENTITY_TYPES, default: 'library' },
      { name: 'entity_id', label: 'Entity id', kind: 'text' },
      { name: 'field_name', label: 'Field', kind: 'text', required: true },
      { name: 'field_value', label: 'Value', kind: 'text' },
      { name: 'field_type', label: 'Type', kind: 'text', options: CUSTOM_FIELD_TYPES, default: 'text' },
    ],
  },
};

export const LINK_FIELDS: readonly LibField[] = [
  { name: 'relationship', label: 'Relationship', kind: 'text', options: RELATIONSHIPS, default: 'primary' },
  { name: 'run_purpose', label: 'Run purpose', kind: 'text', lookup: { table: 'lk_run_purposes', column: 'purpose' } },
  { name: 'notes', label: 'Notes', kind: 'text', multiline: true },
];

/** The statuses a spec may move to from each of the seed's four (never back to draft). */
export const STATUS_TRANSITIONS: Record<string, readonly string[]> = {
  draft: ['active', 'archived'],
  active: ['archived', 'deprecated'],
  deprecated: ['archived', 'active'],
  archived: ['active'],
};

/** `1.0` → `1.1` (or with major `2.0`); any other version gets its last number raised. */
export function nextVersion(version: string | null, major: boolean): string {
  const v = version ?? '1.0';
  const m = /^(\d+)\.(\d+)$/.exec(v);
  if (m) return major ? `${Number(m[1]) + 1}.0` : `${m[1]}.${Number(m[2]) + 1}`;
  const last = /(\d+)(\D*)$/.exec(v);
  if (last?.[1]) return `${v.slice(0, last.index)}${Number(last[1]) + 1}${last[2]}`;
  return `${v}.1`;
}

// ------------------------------------------------------------------ API shapes

/**
 * The longest text one field holds (a construct of 10 Mbp; its annotations JSON). The responses
 * refuse longer values, so the server refuses them before it stores anything: one row past this
 * limit would make its library unreadable.
 */
export const MAX_FIELD_CHARS = 10_000_000;

export const FieldValue = z.union([z.string().max(MAX_FIELD_CHARS), z.number().finite(), z.boolean(), z.null()]);
export type FieldValue = z.infer<typeof FieldValue>;
/** A row of one table as column → value (validated against the field list by the server). */
export const LibRow = z.record(z.string().max(64), FieldValue);
export type LibRow = z.infer<typeof LibRow>;

export const LibId = z.string().min(1).max(128);

export const LibrarySummary = z.object({
  lib_id: z.string(),
  lib_name: z.string(),
  lib_version: z.string().nullable(),
  project: z.string().nullable(),
  status: z.string().nullable(),
  created_at: z.string().nullable(),
  updated_at: z.string().nullable(),
  previous_lib_id: z.string().nullable(),
  /** A newer version exists: this one can no longer be edited. */
  readOnly: z.boolean(),
  constructs: z.number().int(),
  barcodes: z.number().int(),
  experiments: z.number().int(),
});
export type LibrarySummary = z.infer<typeof LibrarySummary>;

export const ExperimentLink = z.object({
  exp_id: z.string(),
  relationship: z.string().nullable(),
  run_purpose: z.string().nullable(),
  notes: z.string().nullable(),
  /** From the experiments table, for display. */
  sample_id: z.string().nullable(),
  flow_cell_id: z.string().nullable(),
  started: z.string().nullable(),
});

export const LibraryVersion = z.object({ lib_id: z.string(), lib_version: z.string().nullable(), status: z.string().nullable(), created_at: z.string().nullable() });

export const LibraryDetail = z.object({
  spec: LibRow,
  readOnly: z.boolean(),
  /** Every version of this library, oldest first (this one included). */
  versions: z.array(LibraryVersion),
  constructs: z.array(LibRow),
  /** Fragments of all constructs (construct_id says whose), and modifications of all fragments. */
  fragments: z.array(LibRow),
  modifications: z.array(LibRow),
  barcodes: z.array(LibRow),
  sample_prep: z.array(LibRow),
  qc_thresholds: LibRow.nullable(),
  custom_fields: z.array(LibRow),
  experiments: z.array(ExperimentLink),
});
export type LibraryDetail = z.infer<typeof LibraryDetail>;
