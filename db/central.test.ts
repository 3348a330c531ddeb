import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CENTRAL_SCHEMA_VERSION, openCentralDb } from './central';
import { centralMigrations } from './migrations';
import { addLookupRow, listLookupRows } from './repos/lookups';
import { recordAudit } from './repos/audit';
import { columnNames, count, indexNames, scratch } from './testing';

const { dir, keep, central } = scratch();

// Written out from seed 000 (CENTRAL_SCHEMA, LOOKUP_TABLES) and seed 001 (runs, jobs), not from the SQL.
const SEED_TABLES: Record<string, string[]> = {
  experiments: ['exp_id', 'experiment_path', 'instrument', 'flow_cell_id', 'sample_id', 'protocol', 'started',
    'pod5_count', 'pod5_dir', 'created_at'],
  basecall_runs: ['run_id', 'exp_id', 'model_tier', 'model_version', 'trim', 'mod_bitflag', 'dorado_version',
    'dorado_args', 'batch_size', 'emit_moves', 'gpu_model', 'slurm_job_id', 'runtime_seconds', 'bam_path',
    'sma_db_path', 'status', 'created_at'],
  references: ['ref_id', 'ref_path', 'ref_seq', 'ref_len'],
  library_specs: ['lib_id', 'lib_name', 'lib_version', 'description', 'created_by', 'project', 'pore_type',
    'flow_cell_type', 'sequencing_kit', 'status', 'created_at', 'updated_at', 'previous_lib_id'],
  lib_constructs: ['construct_id', 'lib_id', 'name', 'aliases', 'construct_type', 'sequence', 'length',
    'gc_content', 'source_file', 'source_format', 'genbank_accession', 'annotations_json', 'organism', 'created_at'],
  lib_fragments: ['fragment_id', 'construct_id', 'name', 'fragment_type', 'sequence', 'expected_len', 'len_min',
    'len_max', 'len_tolerance', 'prep_method', 'restriction_sites', 'primer_fwd', 'primer_rev', 'expected_strand',
    'strand_ratio', 'adapter_5p', 'adapter_3p', 'ligation_method', 'is_sequenceable', 'sequenceable_notes',
    'expected_fraction', 'created_at'],
  lib_modifications: ['mod_id', 'fragment_id', 'mod_type', 'mod_code', 'expected_status', 'expected_fraction',
    'position_type', 'positions_json', 'motif', 'modification_source', 'enzyme_used', 'notes'],
  lib_barcodes: ['barcode_id', 'lib_id', 'barcode_kit', 'barcode_name', 'barcode_sequence', 'sample_name',
    'sample_description', 'expected_fragments', 'expected_constructs', 'min_reads', 'min_purity',
    'replicate_group', 'condition', 'notes'],
  lib_sample_prep: ['prep_id', 'lib_id', 'input_type', 'extraction_method', 'extraction_kit', 'input_mass_ng',
    'qubit_conc_ng_ul', 'nanodrop_260_280', 'nanodrop_260_230', 'size_selection', 'size_cutoff_bp', 'fragmentation',
    'target_length_bp', 'library_kit', 'library_protocol', 'end_repair', 'a_tailing', 'adapter_ligation',
    'final_mass_ng', 'final_conc_ng_ul', 'bioanalyzer_file', 'prep_date', 'prepped_by', 'notes'],
  lib_qc_thresholds: ['lib_id', 'min_mean_qscore', 'min_median_qscore', 'target_qscore', 'min_purity',
    'target_purity', 'max_error_rate', 'target_error_rate', 'min_n50', 'target_n50', 'min_signal_positive',
    'max_unblock', 'min_reads', 'target_reads', 'min_bases', 'target_bases', 'custom_thresholds', 'notes'],
  lib_custom_fields: ['id', 'lib_id', 'entity_type', 'entity_id', 'field_name', 'field_value', 'field_type',
    'created_at'],
  lib_experiment_link: ['lib_id', 'exp_id', 'relationship', 'run_purpose', 'notes'],
  lk_pore_types: ['pore_type', 'description', 'release_year', 'is_current'],
  lk_flow_cells: ['flow_cell_type', 'pore_type', 'device', 'pore_count', 'description'],
  lk_sequencing_kits: ['kit_id', 'kit_name', 'kit_type', 'barcoding', 'barcode_count', 'pore_compat', 'description'],
  lk_basecall_models: ['model_id', 'pore_type', 'speed', 'tier', 'version', 'dorado_min_ver', 'description'],
  lk_modifications: ['mod_code', 'mod_type', 'mod_name', 'dorado_flag', 'description'],
  lk_construct_types: ['construct_type', 'description'],
  lk_fragment_types: ['fragment_type', 'description'],
  lk_end_reasons: ['end_reason', 'category', 'is_good', 'description'],
  lk_extraction_methods: ['method', 'description'],
  lk_size_selection: ['method', 'description'],
  lk_library_status: ['status', 'description'],
  lk_run_purposes: ['purpose', 'description'],
};

// Benchtop's additions after the seed's columns (0006: discovery, and the job that made a basecall run).
const ADDED_COLUMNS: Record<string, string[]> = {
  experiments: ['flow_cell_product', 'sequencing_kit', 'protocol_run_id', 'pod5_expected', 'run_state', 'source', 'scanned_at'],
  basecall_runs: ['analysis_run_id', 'job_id'],
};

const SEED_001_RUN_COLUMNS = ['id', 'name', 'description', 'status', 'current_step', 'created_at', 'updated_at',
  'created_by', 'r1_seq', 'r1_error_rate', 'r1_trim_leading_trailing', 'r1_anchored', 'r1_min_overlap',
  'r1_pair_filter', 'r1_minimum_length_of_read', 'r2_seq', 'r2_error_rate', 'r2_trim_leading_trailing',
  'r2_anchored', 'r2_min_overlap', 'r2_pair_filter', 'r2_minimum_length_of_read', 'genome', 'genome_tar_url',
  'promoter_left', 'promoter_right', 'enhancer_left', 'qc_stage'];

const JOB_COLUMNS = ['id', 'run_id', 'step_name', 'attempt', 'status', 'argv', 'tool', 'tool_version', 'executor',
  'pid', 'pgid', 'proc_start_time', 'created_at', 'started_at', 'completed_at', 'exit_code', 'log_file',
  'error_message', 'exit_file'];

const AUDIT_COLUMNS = ['id', 'at', 'actor', 'action', 'entity_type', 'entity_id', 'details'];

const INDEXES = ['idx_basecall_runs_exp_id', 'idx_basecall_runs_status', 'idx_lib_constructs_lib_id',
  'idx_lib_fragments_construct_id', 'idx_jobs_run_id', 'idx_jobs_status', 'idx_runs_status', 'idx_audit_log_entity', 'idx_run_params_name_value',
  'idx_library_specs_previous', 'idx_lib_barcodes_lib_id', 'idx_lib_modifications_fragment_id', 'idx_experiment_warnings_exp_id',
  'idx_audit_changes_at', 'idx_audit_changes_row', 'idx_audit_log_at'];

const LOOKUP_COUNTS: Record<string, number> = {
  lk_pore_types: 3, lk_flow_cells: 4, lk_sequencing_kits: 7, lk_basecall_models: 4, lk_modifications: 8,
  lk_construct_types: 6, lk_fragment_types: 7, lk_end_reasons: 10, lk_extraction_methods: 8,
  lk_size_selection: 8, lk_library_status: 4, lk_run_purposes: 5,
};

function lookupCounts(db: Database.Database): Record<string, number> {
  return Object.fromEntries(Object.keys(LOOKUP_COUNTS).map((t) => [t, count(db, t)]));
}

describe('central schema', () => {
  it('has every seed table with exactly the seed columns, in order (then the added ones)', () => {
    const db = central();
    for (const [table, columns] of Object.entries(SEED_TABLES)) {
      expect(columnNames(db, table), table).toEqual([...columns, ...(ADDED_COLUMNS[table] ?? [])]);
    }
  });

  it('has seed 001 runs (plus pipeline), jobs per attempt and the audit log', () => {
    const db = central();
    expect(columnNames(db, 'runs').sort()).toEqual([...SEED_001_RUN_COLUMNS, 'pipeline', 'cleaned_at'].sort());
    expect(columnNames(db, 'jobs')).toEqual(JOB_COLUMNS);
    expect(columnNames(db, 'audit_log')).toEqual(AUDIT_COLUMNS);
  });

  it('has every seed index and the added ones', () => {
    expect(indexNames(central()).sort()).toEqual([...INDEXES].sort());
  });

  it('gives runs the seed 001 defaults', () => {
    const db = central();
    db.prepare("INSERT INTO runs (id, pipeline) VALUES ('r1', 'qslam')").run();
    expect(db.prepare("SELECT * FROM runs WHERE id = 'r1'").get()).toMatchObject({
      status: 'pending', r1_error_rate: 0.3, r1_trim_leading_trailing: 0, r1_anchored: 0, r1_min_overlap: 5,
      r1_pair_filter: 'both', r1_minimum_length_of_read: 30, r2_error_rate: 0.1, r2_min_overlap: 10,
      r2_minimum_length_of_read: 30, promoter_left: 5000, promoter_right: 2000, enhancer_left: 50000,
      qc_stage: 'before', pipeline: 'qslam', current_step: null,
    });
  });

  it('keeps one job row per attempt, with known statuses only', () => {
    const db = central();
    db.prepare("INSERT INTO runs (id) VALUES ('r1')").run();
    const insert = db.prepare("INSERT INTO jobs (run_id, step_name, attempt, status) VALUES ('r1', 'qc', ?, ?)");
    insert.run(1, 'failed');
    insert.run(2, 'running');
    expect(() => insert.run(2, 'completed')).toThrow(/UNIQUE/);
    expect(() => insert.run(3, 'exploded')).toThrow(/CHECK/);
    expect(db.prepare("SELECT executor FROM jobs WHERE attempt = 1").pluck().get()).toBe('local');
  });
});

describe('seed lookups', () => {
  it('holds exactly the seed rows, plus the four POD5 end reasons', () => {
    const db = central();
    expect(lookupCounts(db)).toEqual(LOOKUP_COUNTS);
    const reasons = db.prepare('SELECT end_reason FROM lk_end_reasons').pluck().all();
    expect(reasons.sort()).toEqual([
      'signal_positive', 'signal_negative', 'unblock_mux_change', 'mux_change', 'data_service_unblock_mux_change',
      'unknown', 'api_request', 'device_data_error', 'analysis_config_change', 'paused',
    ].sort());
    expect(db.prepare("SELECT * FROM lk_end_reasons WHERE end_reason = 'paused'").get()).toMatchObject({
      category: 'technical', is_good: 0,
    });
  });

  it('copies the seed values verbatim', () => {
    const db = central();
    expect(db.prepare("SELECT * FROM lk_flow_cells WHERE flow_cell_type = 'FLO-PRO114M'").get()).toEqual({
      flow_cell_type: 'FLO-PRO114M', pore_type: 'R10.4.1', device: 'PromethION', pore_count: 2675,
      description: 'PromethION R10.4.1',
    });
    expect(db.prepare("SELECT * FROM lk_sequencing_kits WHERE kit_id = 'SQK-NBD114.96'").get()).toEqual({
      kit_id: 'SQK-NBD114.96', kit_name: 'Native Barcoding Kit 96 V14', kit_type: 'ligation', barcoding: 1,
      barcode_count: 96, pore_compat: '["R10.4.1"]', description: '96-plex native barcoding',
    });
    expect(db.prepare('SELECT dorado_flag FROM lk_modifications WHERE mod_code = 3').pluck().get())
      .toBe('6mA,5mCG_5hmCG');
    expect(db.prepare('SELECT dorado_flag FROM lk_modifications WHERE mod_code = 0').pluck().get()).toBeNull();
    expect(db.prepare("SELECT release_year, is_current FROM lk_pore_types WHERE pore_type = 'R9.4.1'").get())
      .toEqual({ release_year: 2017, is_current: 0 });
  });
});

describe('foreign keys', () => {
  it('refuses a basecall run of an unknown experiment', () => {
    const db = central();
    expect(() => db.prepare("INSERT INTO basecall_runs (run_id, exp_id) VALUES ('b1', 'nope')").run())
      .toThrow(/FOREIGN KEY/);
    db.prepare("INSERT INTO experiments (exp_id) VALUES ('e1')").run();
    db.prepare("INSERT INTO basecall_runs (run_id, exp_id) VALUES ('b1', 'e1')").run();
    expect(count(db, 'basecall_runs')).toBe(1);
  });

  it('refuses a job of an unknown run', () => {
    const db = central();
    expect(() => db.prepare("INSERT INTO jobs (run_id, step_name, attempt) VALUES ('nope', 'qc', 1)").run())
      .toThrow(/FOREIGN KEY/);
  });

  it("deletes a run's jobs with it, but never its audit trail", () => {
    const db = central();
    db.prepare("INSERT INTO runs (id) VALUES ('r1'), ('r2')").run();
    db.prepare("INSERT INTO jobs (run_id, step_name, attempt) VALUES ('r1', 'qc', 1), ('r1', 'qc', 2), ('r2', 'qc', 1)").run();
    recordAudit(db, { action: 'runs.create', entityType: 'run', entityId: 'r1' });
    recordAudit(db, { action: 'runs.delete', entityType: 'run', entityId: 'r1' });
    db.prepare("DELETE FROM runs WHERE id = 'r1'").run();
    expect(db.prepare('SELECT run_id FROM jobs').pluck().all()).toEqual(['r2']);
    expect(db.prepare("SELECT action FROM audit_log WHERE entity_id = 'r1' ORDER BY id").pluck().all())
      .toEqual(['runs.create', 'runs.delete']);
  });
});

describe('opening', () => {
  it('sets WAL, foreign keys, a busy timeout and synchronous=FULL', () => {
    const db = central();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('user_version', { simple: true })).toBe(CENTRAL_SCHEMA_VERSION);
    expect(CENTRAL_SCHEMA_VERSION).toBe(9);
  });

  it('is idempotent, and keeps user data and user edits of seed rows', () => {
    const workspace = dir();
    const first = central(workspace);
    addLookupRow(first, 'lk_sequencing_kits', { kit_id: 'SQK-LSK117', kit_name: 'Ligation Kit V17' });
    first.prepare("INSERT INTO experiments (exp_id, sample_id) VALUES ('e1', 'S1')").run();
    first.prepare("UPDATE lk_pore_types SET description = 'Our workhorse' WHERE pore_type = 'R10.4.1'").run();
    const counts = lookupCounts(first);
    first.close();

    const second = central(workspace);
    second.close();
    const db = central(workspace);
    expect(db.pragma('user_version', { simple: true })).toBe(CENTRAL_SCHEMA_VERSION);
    expect(lookupCounts(db)).toEqual(counts);
    expect(counts.lk_sequencing_kits).toBe(8);
    expect(listLookupRows(db, 'lk_sequencing_kits').map((r) => r.kit_id)).toContain('SQK-LSK117');
    expect(db.prepare('SELECT sample_id FROM experiments').pluck().all()).toEqual(['S1']);
    expect(db.prepare("SELECT description FROM lk_pore_types WHERE pore_type = 'R10.4.1'").pluck().get())
      .toBe('Our workhorse');
    expect(existsSync(join(workspace, 'backups'))).toBe(false);
  });

  it("adopts a version-0 database made by the seed's own tool, backing it up first", () => {
    const workspace = dir();
    const file = join(workspace, 'benchtop.db');
    // What seed 000's create_central_db + populate_lookups leave (once "references" is quoted).
    const legacy = new Database(file);
    legacy.exec(centralMigrations[0]!.sql);
    legacy.exec(centralMigrations[1]!.sql);
    legacy.prepare("INSERT INTO lk_run_purposes VALUES ('teaching', 'Course practicals')").run();
    legacy.prepare("UPDATE lk_run_purposes SET description = 'Real data' WHERE purpose = 'production'").run();
    legacy.prepare("INSERT INTO experiments (exp_id) VALUES ('e1')").run();
    legacy.close();

    const db = keep(openCentralDb(file, { backupDir: join(workspace, 'backups') }));
    expect(db.pragma('user_version', { simple: true })).toBe(CENTRAL_SCHEMA_VERSION);
    expect(count(db, 'lk_run_purposes')).toBe(6);
    expect(count(db, 'lk_end_reasons')).toBe(10);
    expect(db.prepare("SELECT description FROM lk_run_purposes WHERE purpose = 'production'").pluck().get())
      .toBe('Real data');
    expect(count(db, 'experiments')).toBe(1);
    expect(readdirSync(join(workspace, 'backups'))).toEqual([expect.stringMatching(/^benchtop-\d{8}T\d{6}\.\d{3}Z-migration\.db$/)]);
  });
});

describe('a file that is not a database', () => {
  it('is refused with a message naming it, and left as it was', () => {
    const folder = mkdtempSync(join(tmpdir(), 'benchtop-notadb-'));
    const file = join(folder, 'benchtop.db');
    writeFileSync(file, 'not sqlite at all, but long enough to have a header of sorts');
    expect(() => openCentralDb(file, { backupDir: join(folder, 'backups') })).toThrow(`${file} is not a readable SQLite database`);
    expect(readFileSync(file, 'utf8')).toBe('not sqlite at all, but long enough to have a header of sorts');
    rmSync(folder, { recursive: true, force: true });
  });

  it('says what backups of it there are to restore from, or that there are none', () => {
    const folder = mkdtempSync(join(tmpdir(), 'benchtop-notadb-'));
    const file = join(folder, 'benchtop.db');
    const backups = join(folder, 'backups');
    writeFileSync(file, 'not sqlite at all, but long enough to have a header of sorts');
    const none = `There are no backups of it in ${backups}: open another workspace.`;
    expect(() => openCentralDb(file, { backupDir: backups })).toThrow(none);
    mkdirSync(backups);
    writeFileSync(join(backups, 'notes.txt'), 'not a backup');
    writeFileSync(join(backups, 'SMA_exp1-20260305T101500.000Z-daily.db'), 'another database');
    expect(() => openCentralDb(file, { backupDir: backups })).toThrow(none);
    writeFileSync(join(backups, 'benchtop-v3-20260102T100000.000Z.db'), 'a');
    writeFileSync(join(backups, 'benchtop-20260304T153000.000Z-daily.db'), 'b');
    expect(() => openCentralDb(file, { backupDir: backups })).toThrow(
      `${backups} holds 2 copies of it, the newest benchtop-20260304T153000.000Z-daily.db from 2026-03-04 15:30 UTC: restore one (Settings → Backups, or \`benchtop db restore FILE --yes\`), or open another workspace.`,
    );
    rmSync(folder, { recursive: true, force: true });
  });
});
