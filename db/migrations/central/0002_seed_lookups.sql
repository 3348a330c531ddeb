-- Seed 000's LOOKUP_TABLES: the 12 lookup tables and their rows, verbatim. INSERT OR IGNORE never
-- duplicates a row nor overwrites a user's edit of one.
-- ============================================================
-- PORE TYPES
-- ============================================================

CREATE TABLE IF NOT EXISTS lk_pore_types (
    pore_type       TEXT PRIMARY KEY,
    description     TEXT,
    release_year    INTEGER,
    is_current      INTEGER DEFAULT 1
);

INSERT OR IGNORE INTO lk_pore_types VALUES
    ('R9.4.1', 'Legacy pore, good accuracy', 2017, 0),
    ('R10.4.1', 'Current high-accuracy pore', 2022, 1),
    ('R10.4.2', 'Latest iteration', 2024, 1);

-- ============================================================
-- FLOW CELLS
-- ============================================================

CREATE TABLE IF NOT EXISTS lk_flow_cells (
    flow_cell_type  TEXT PRIMARY KEY,
    pore_type       TEXT,
    device          TEXT,
    pore_count      INTEGER,
    description     TEXT
);

INSERT OR IGNORE INTO lk_flow_cells VALUES
    ('FLO-FLG114', 'R10.4.1', 'Flongle', 126, 'Flongle R10.4.1'),
    ('FLO-MIN114', 'R10.4.1', 'MinION', 2048, 'MinION R10.4.1'),
    ('FLO-PRO114M', 'R10.4.1', 'PromethION', 2675, 'PromethION R10.4.1'),
    ('FLO-MIN106', 'R9.4.1', 'MinION', 2048, 'MinION R9.4.1 (legacy)');

-- ============================================================
-- SEQUENCING KITS
-- ============================================================

CREATE TABLE IF NOT EXISTS lk_sequencing_kits (
    kit_id          TEXT PRIMARY KEY,
    kit_name        TEXT,
    kit_type        TEXT,
    barcoding       INTEGER DEFAULT 0,
    barcode_count   INTEGER,
    pore_compat     TEXT,
    description     TEXT
);

INSERT OR IGNORE INTO lk_sequencing_kits VALUES
    ('SQK-LSK114', 'Ligation Sequencing Kit V14', 'ligation', 0, NULL, '["R10.4.1"]', 'Standard ligation prep'),
    ('SQK-NBD114.24', 'Native Barcoding Kit 24 V14', 'ligation', 1, 24, '["R10.4.1"]', '24-plex native barcoding'),
    ('SQK-NBD114.96', 'Native Barcoding Kit 96 V14', 'ligation', 1, 96, '["R10.4.1"]', '96-plex native barcoding'),
    ('SQK-RBK114.24', 'Rapid Barcoding Kit 24 V14', 'rapid', 1, 24, '["R10.4.1"]', '24-plex rapid barcoding'),
    ('SQK-RBK114.96', 'Rapid Barcoding Kit 96 V14', 'rapid', 1, 96, '["R10.4.1"]', '96-plex rapid barcoding'),
    ('SQK-RAD114', 'Rapid Sequencing Kit V14', 'rapid', 0, NULL, '["R10.4.1"]', 'Rapid transposase prep'),
    ('SQK-LSK109', 'Ligation Sequencing Kit', 'ligation', 0, NULL, '["R9.4.1"]', 'Legacy R9 ligation');

-- ============================================================
-- BASECALLING MODELS
-- ============================================================

CREATE TABLE IF NOT EXISTS lk_basecall_models (
    model_id        TEXT PRIMARY KEY,
    pore_type       TEXT,
    speed           TEXT,
    tier            TEXT,
    version         TEXT,
    dorado_min_ver  TEXT,
    description     TEXT
);

INSERT OR IGNORE INTO lk_basecall_models VALUES
    ('dna_r10.4.1_e8.2_400bps_fast@v5.0.0', 'R10.4.1', '400bps', 'fast', 'v5.0.0', '0.5.0', 'Fast model'),
    ('dna_r10.4.1_e8.2_400bps_hac@v5.0.0', 'R10.4.1', '400bps', 'hac', 'v5.0.0', '0.5.0', 'High accuracy'),
    ('dna_r10.4.1_e8.2_400bps_sup@v5.0.0', 'R10.4.1', '400bps', 'sup', 'v5.0.0', '0.5.0', 'Super accuracy'),
    ('dna_r10.4.1_e8.2_400bps_sup@v5.2.0', 'R10.4.1', '400bps', 'sup', 'v5.2.0', '0.8.0', 'Latest super accuracy');

-- ============================================================
-- MODIFICATIONS
-- ============================================================

CREATE TABLE IF NOT EXISTS lk_modifications (
    mod_code        INTEGER PRIMARY KEY,
    mod_type        TEXT,
    mod_name        TEXT,
    dorado_flag     TEXT,
    description     TEXT
);

INSERT OR IGNORE INTO lk_modifications VALUES
    (0, 'none', 'No modifications', NULL, 'Canonical bases only'),
    (1, '6mA', '6-methyladenine', '6mA', 'Bacterial/mitochondrial'),
    (2, '5mCG_5hmCG', '5mC and 5hmC in CpG', '5mCG_5hmCG', 'Mammalian CpG methylation'),
    (4, '5mC_5hmC', '5mC and 5hmC all contexts', '5mC_5hmC', 'All-context cytosine mods'),
    (8, '4mC_5mC', '4mC and 5mC', '4mC_5mC', 'Bacterial cytosine mods'),
    (16, '5mC', '5-methylcytosine only', '5mC', '5mC without hydroxymethyl'),
    (3, '6mA+5mCG_5hmCG', 'Combined', '6mA,5mCG_5hmCG', 'Adenine + CpG cytosine'),
    (5, '6mA+5mC_5hmC', 'Combined', '6mA,5mC_5hmC', 'Adenine + all-context cytosine');

-- ============================================================
-- CONSTRUCT TYPES
-- ============================================================

CREATE TABLE IF NOT EXISTS lk_construct_types (
    construct_type  TEXT PRIMARY KEY,
    description     TEXT
);

INSERT OR IGNORE INTO lk_construct_types VALUES
    ('plasmid', 'Circular plasmid DNA'),
    ('genome', 'Genomic DNA (bacterial, viral, etc.)'),
    ('amplicon', 'PCR amplification product'),
    ('synthetic', 'Synthesized DNA construct'),
    ('cdna', 'Complementary DNA from RNA'),
    ('chromosome', 'Eukaryotic chromosome/fragment');

-- ============================================================
-- FRAGMENT TYPES
-- ============================================================

CREATE TABLE IF NOT EXISTS lk_fragment_types (
    fragment_type   TEXT PRIMARY KEY,
    description     TEXT
);

INSERT OR IGNORE INTO lk_fragment_types VALUES
    ('whole_plasmid', 'Uncut circular plasmid (rolling circle)'),
    ('linearized', 'Single-cut linearized plasmid'),
    ('restriction_digest', 'Multi-enzyme restriction digest'),
    ('pcr_amplicon', 'PCR amplification product'),
    ('sheared', 'Mechanically sheared DNA'),
    ('enzymatic_fragment', 'Enzymatic fragmentation'),
    ('native', 'Native/unprocessed');

-- ============================================================
-- END REASONS
-- ============================================================

CREATE TABLE IF NOT EXISTS lk_end_reasons (
    end_reason      TEXT PRIMARY KEY,
    category        TEXT,
    is_good         INTEGER,
    description     TEXT
);

INSERT OR IGNORE INTO lk_end_reasons VALUES
    ('signal_positive', 'complete', 1, 'Read completed normally (good)'),
    ('signal_negative', 'complete', 1, 'Read completed, no signal'),
    ('unblock_mux_change', 'rejected', 0, 'Adaptive sampling rejection'),
    ('mux_change', 'technical', 0, 'Mux scan during read'),
    ('data_service_unblock_mux_change', 'rejected', 0, 'Software-triggered unblock'),
    ('unknown', 'unknown', 0, 'Unknown termination');

-- ============================================================
-- EXTRACTION METHODS
-- ============================================================

CREATE TABLE IF NOT EXISTS lk_extraction_methods (
    method          TEXT PRIMARY KEY,
    description     TEXT
);

INSERT OR IGNORE INTO lk_extraction_methods VALUES
    ('phenol_chloroform', 'Traditional organic extraction'),
    ('column_silica', 'Silica column purification'),
    ('magnetic_beads', 'Magnetic bead-based extraction'),
    ('alkaline_lysis', 'Alkaline lysis (plasmid miniprep)'),
    ('kit_qiagen', 'Qiagen kit extraction'),
    ('kit_zymo', 'Zymo Research kit extraction'),
    ('kit_monarch', 'NEB Monarch kit extraction'),
    ('direct', 'Direct input (no extraction)');

-- ============================================================
-- SIZE SELECTION METHODS
-- ============================================================

CREATE TABLE IF NOT EXISTS lk_size_selection (
    method          TEXT PRIMARY KEY,
    description     TEXT
);

INSERT OR IGNORE INTO lk_size_selection VALUES
    ('none', 'No size selection'),
    ('ampure_0.4x', 'AMPure XP 0.4x ratio (>1kb)'),
    ('ampure_0.5x', 'AMPure XP 0.5x ratio (>500bp)'),
    ('ampure_0.6x', 'AMPure XP 0.6x ratio (>300bp)'),
    ('ampure_0.8x', 'AMPure XP 0.8x ratio (cleanup)'),
    ('bluepippin', 'BluePippin gel extraction'),
    ('gel_extraction', 'Manual gel extraction'),
    ('sspei', 'Short fragment eliminator');

-- ============================================================
-- LIBRARY STATUSES
-- ============================================================

CREATE TABLE IF NOT EXISTS lk_library_status (
    status          TEXT PRIMARY KEY,
    description     TEXT
);

INSERT OR IGNORE INTO lk_library_status VALUES
    ('draft', 'In design, not finalized'),
    ('active', 'Currently in use'),
    ('archived', 'No longer active'),
    ('deprecated', 'Replaced by newer version');

-- ============================================================
-- RUN PURPOSES
-- ============================================================

CREATE TABLE IF NOT EXISTS lk_run_purposes (
    purpose         TEXT PRIMARY KEY,
    description     TEXT
);

INSERT OR IGNORE INTO lk_run_purposes VALUES
    ('production', 'Production data collection'),
    ('test', 'Test/validation run'),
    ('optimization', 'Protocol optimization'),
    ('troubleshooting', 'Debugging issues'),
    ('training', 'Training/demonstration');
