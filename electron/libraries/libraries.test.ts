import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import type { Session } from '../api/session';
import { openTestSession, tempDirs } from '../../tests/tempWorkspace';
import { PLASMID_FEATURES, PLASMID_SEQ, genbank, plasmidGenbank, snapgene, writeLargeGenbank } from '../demo/data/sequences';
import { MAX_FIELD_CHARS, nextVersion } from '../../shared/schemas/libraries';

const dirs = tempDirs('benchtop-libraries-');
afterAll(() => dirs.cleanup());

let session: Session;
let n = 0;
beforeEach(() => {
  n++;
  session = openTestSession({ workspace: join(dirs.root, `ws${n}`), config: dirs.config });
});
afterEach(() => session.close());

function file(name: string, content: string | Buffer): string {
  const path = join(dirs.root, `${n}-${name}`);
  writeFileSync(path, content);
  return path;
}

async function rejects(promise: Promise<unknown>, code: string, message: string | RegExp): Promise<void> {
  const err = (await promise.then(
    () => null,
    (e: unknown) => e,
  )) as { code?: string; message?: string } | null;
  expect(err, 'expected an error').not.toBeNull();
  expect(err!.code).toBe(code);
  if (typeof message === 'string') expect(err!.message).toContain(message);
  else expect(err!.message).toMatch(message);
}

async function fullLibrary(s: Session) {
  const lib = await s.call('libraries.create', {
    spec: { lib_name: 'Plasmid panel', project: 'SMA', pore_type: 'R10.4.1', flow_cell_type: 'FLO-MIN114', sequencing_kit: 'SQK-NBD114.24', created_by: 'ada' },
  });
  const libId = String(lib.spec.lib_id);
  const imported = await s.call('libraries.importConstructs', { libId, path: file('constructs.gb', plasmidGenbank()) });
  const [plasmid] = imported.ids;
  const frag = await s.call('libraries.addRow', { libId, table: 'fragments', row: { construct_id: plasmid!, name: 'linear', fragment_type: 'linearized', expected_len: 60, expected_strand: 'both' } });
  await s.call('libraries.addRow', { libId, table: 'modifications', row: { fragment_id: frag.id, mod_code: 2, expected_status: 'present', expected_fraction: 0.5, positions_json: '[1, 5]' } });
  await s.call('libraries.addRow', { libId, table: 'barcodes', row: { barcode_kit: 'SQK-NBD114.24', barcode_name: 'NB01', sample_name: 'S1', expected_constructs: plasmid!, min_reads: 1000, min_purity: 0.9 } });
  await s.call('libraries.addRow', { libId, table: 'sample_prep', row: { extraction_method: 'alkaline_lysis', size_selection: 'ampure_0.8x', library_kit: 'SQK-NBD114.24', input_mass_ng: 400, prep_date: '2026-11-01', a_tailing: false } });
  await s.call('libraries.addRow', { libId, table: 'custom_fields', row: { entity_type: 'construct', entity_id: plasmid!, field_name: 'copy_number', field_value: '20', field_type: 'integer' } });
  await s.call('libraries.editRow', { libId, table: 'qc_thresholds', id: libId, changes: { min_n50: 5000, custom_thresholds: '{"max_adapters": 0.05}' } });
  return { libId, plasmid: plasmid!, fragment: frag.id };
}

describe('library specs', () => {
  it('creates a spec as draft with the seed\'s QC defaults, and lists it', async () => {
    const lib = await session.call('libraries.create', { spec: { lib_name: 'Panel A', pore_type: 'R10.4.1' } });
    expect(lib.spec).toMatchObject({ lib_name: 'Panel A', lib_version: '1.0', status: 'draft', pore_type: 'R10.4.1', previous_lib_id: null });
    expect(lib.qc_thresholds).toMatchObject({ min_mean_qscore: 10, min_median_qscore: 12, target_qscore: 20, min_purity: 0.8, target_purity: 0.95, max_error_rate: 0.1, target_error_rate: 0.02, min_n50: null });
    expect(lib.readOnly).toBe(false);
    const list = await session.call('libraries.list', {});
    expect(list).toEqual([expect.objectContaining({ lib_id: lib.spec.lib_id, lib_name: 'Panel A', readOnly: false, constructs: 0 })]);
  });

  it('refuses values that are not in the lookup tables, naming the field', async () => {
    await rejects(session.call('libraries.create', { spec: { lib_name: 'X', pore_type: 'R11' } }), 'invalid_request', 'pore_type: "R11" is not in lk_pore_types (it has R9.4.1, R10.4.1, R10.4.2)');
    await rejects(session.call('libraries.create', { spec: { lib_name: 'X', sequencing_kit: 'SQK-NOPE' } }), 'invalid_request', /^sequencing_kit: "SQK-NOPE" is not in lk_sequencing_kits/);
    await rejects(session.call('libraries.create', { spec: { lib_name: '' } }), 'invalid_request', 'lib_name: Name is required.');
    await rejects(session.call('libraries.create', { spec: { lib_name: 'X', colour: 'red' } }), 'invalid_request', 'colour: unknown field');
    await rejects(session.call('libraries.create', { spec: { lib_name: 'X', status: 'active' } }), 'invalid_request', 'status: a new library spec starts as draft');
    const lib = await session.call('libraries.create', { spec: { lib_name: 'Y' } });
    const libId = String(lib.spec.lib_id);
    const c = await session.call('libraries.addRow', { libId, table: 'constructs', row: { name: 'c1', construct_type: 'cosmid' } }).catch((e: Error) => e);
    expect((c as Error).message).toMatch(/^construct_type: "cosmid" is not in lk_construct_types/);
    const ok = await session.call('libraries.addRow', { libId, table: 'constructs', row: { name: 'c1', construct_type: 'plasmid', sequence: 'acgt nnGC' } });
    await rejects(session.call('libraries.addRow', { libId, table: 'fragments', row: { construct_id: ok.id, name: 'f', fragment_type: 'blob' } }), 'invalid_request', 'fragment_type: "blob" is not in lk_fragment_types');
    await rejects(session.call('libraries.addRow', { libId, table: 'fragments', row: { construct_id: ok.id, name: 'f', expected_len: 1.5 } }), 'invalid_request', 'expected_len: must be a whole number, not 1.5.');
    await rejects(session.call('libraries.addRow', { libId, table: 'fragments', row: { construct_id: ok.id, name: 'f', expected_len: 100, len_max: 90 } }), 'invalid_request', 'expected_len: 100 is above len_max 90.');
    await rejects(session.call('libraries.addRow', { libId, table: 'fragments', row: { construct_id: ok.id, name: 'f', primer_fwd: 'ACGTZ' } }), 'invalid_request', 'primer_fwd: is not a DNA sequence: "Z" at position 5');
    await rejects(session.call('libraries.addRow', { libId, table: 'fragments', row: { construct_id: 'CON-NOPE', name: 'f' } }), 'invalid_request', 'construct_id: "CON-NOPE" is not a construct of library');
    await rejects(session.call('libraries.addRow', { libId, table: 'barcodes', row: { sample_name: 'S', min_purity: 1.5 } }), 'invalid_request', 'min_purity: must be at most 1, not 1.5.');
    await rejects(session.call('libraries.addRow', { libId, table: 'barcodes', row: { sample_name: 'S', barcode_kit: 'SQK-LSK114' } }), 'invalid_request', 'barcode_kit: SQK-LSK114 is not a barcoding kit.');
    await rejects(session.call('libraries.addRow', { libId, table: 'sample_prep', row: { prep_date: '1/2/2026' } }), 'invalid_request', 'prep_date: must be a date as YYYY-MM-DD');
    await rejects(session.call('libraries.addRow', { libId, table: 'sample_prep', row: { extraction_method: 'magic' } }), 'invalid_request', 'extraction_method: "magic" is not in lk_extraction_methods');
    const detail = await session.call('libraries.get', { libId });
    expect(detail.constructs).toHaveLength(1);
    expect(detail.constructs[0]).toMatchObject({ sequence: 'ACGTNNGC', length: 8, gc_content: 0.666667 });
    expect(detail.fragments).toHaveLength(0);
  });

  it('gives a fragment the seed\'s defaults and a modification its type from lk_modifications', async () => {
    const lib = await session.call('libraries.create', { spec: { lib_name: 'Z' } });
    const libId = String(lib.spec.lib_id);
    const c = await session.call('libraries.addRow', { libId, table: 'constructs', row: { name: 'c1', sequence: PLASMID_SEQ } });
    const f = await session.call('libraries.addRow', { libId, table: 'fragments', row: { construct_id: c.id, name: 'f1', expected_len: 60 } });
    expect(f.library.fragments[0]).toMatchObject({ fragment_id: f.id, construct_id: c.id, len_tolerance: 150, strand_ratio: 0.5, is_sequenceable: 1 });
    const m = await session.call('libraries.addRow', { libId, table: 'modifications', row: { fragment_id: f.id, mod_code: 1, expected_status: 'present' } });
    expect(m.library.modifications[0]).toMatchObject({ mod_code: 1, mod_type: '6mA', fragment_id: f.id });
    await rejects(session.call('libraries.addRow', { libId, table: 'modifications', row: { fragment_id: f.id, mod_code: 7, expected_status: 'present' } }), 'invalid_request', 'mod_code: 7 is not in lk_modifications');
    await rejects(session.call('libraries.addRow', { libId, table: 'modifications', row: { fragment_id: f.id, mod_code: 1, expected_status: 'maybe' } }), 'invalid_request', 'expected_status: must be one of present, absent, partial, unknown');

    const edited = await session.call('libraries.editRow', { libId, table: 'fragments', id: f.id, changes: { len_tolerance: 200, len_min: 50 } });
    expect(edited.fragments[0]).toMatchObject({ len_tolerance: 200, len_min: 50, expected_len: 60 });
    await rejects(session.call('libraries.editRow', { libId, table: 'fragments', id: f.id, changes: { len_min: 70 } }), 'invalid_request', 'expected_len: 60 is below len_min 70.');
    // A QC minimum above its target is refused (the stored target counts too: 20 by default).
    await rejects(session.call('libraries.editRow', { libId, table: 'qc_thresholds', id: libId, changes: { min_mean_qscore: 25 } }), 'invalid_request', 'Minimum mean Q 25 is above Target Q 20; it can be at most that.');
    await rejects(session.call('libraries.editRow', { libId, table: 'qc_thresholds', id: libId, changes: { target_error_rate: 0.2 } }), 'invalid_request', 'Target error rate 0.2 is above Maximum error rate 0.1');
    await session.call('libraries.editRow', { libId, table: 'qc_thresholds', id: libId, changes: { min_mean_qscore: 25, target_qscore: 30 } });

    const after = await session.call('libraries.deleteRow', { libId, table: 'constructs', id: c.id });
    expect([after.constructs.length, after.fragments.length, after.modifications.length]).toEqual([0, 0, 0]);
  });

  it('imports constructs from GenBank (one per record), FASTA and SnapGene; a bad file adds nothing', async () => {
    const lib = await session.call('libraries.create', { spec: { lib_name: 'Imports' } });
    const libId = String(lib.spec.lib_id);
    const gb = file('two.gb', plasmidGenbank());
    const result = await session.call('libraries.importConstructs', { libId, path: gb });
    expect(result.ids).toHaveLength(2);
    const [plasmid, amplicon] = result.library.constructs;
    expect(plasmid).toMatchObject({ name: 'pTest', length: 60, gc_content: 0.166667, construct_type: 'plasmid', source_file: gb, source_format: 'genbank', genbank_accession: 'AB123456', organism: 'Escherichia coli' });
    expect(JSON.parse(String(plasmid!.annotations_json))).toMatchObject({ topology: 'circular', features: [{ name: 'pTest promoter' }, { name: 'geneX', strand: -1 }] });
    expect(amplicon).toMatchObject({ name: 'amp1', length: 20, gc_content: 0.6, construct_type: null });

    const fa = await session.call('libraries.importConstructs', { libId, path: file('a.fasta', '>fa1 x\nACGTACGT\n'), constructType: 'amplicon' });
    expect(fa.library.constructs.at(-1)).toMatchObject({ name: 'fa1', source_format: 'fasta', construct_type: 'amplicon', length: 8, gc_content: 0.5 });
    const dna = await session.call('libraries.importConstructs', { libId, path: file('p.dna', snapgene(PLASMID_SEQ, [{ name: 'ori', type: 'rep_origin', range: [1, 10], directionality: 1 }])) });
    expect(dna.library.constructs.at(-1)).toMatchObject({ source_format: 'snapgene', length: 60, construct_type: 'plasmid' });

    const bad = file('bad.fa', '>ok\nACGT\n>bad\nACJT\n');
    await rejects(session.call('libraries.importConstructs', { libId, path: bad }), 'invalid_request', `${bad}: record 2 (bad)`);
    await rejects(session.call('libraries.importConstructs', { libId, path: 'relative.gb' }), 'invalid_request', "give the file's full path");
    expect((await session.call('libraries.get', { libId })).constructs).toHaveLength(4);
  });

  it('moves status draft → active → deprecated → archived and refuses the rest', async () => {
    const lib = await session.call('libraries.create', { spec: { lib_name: 'S' } });
    const libId = String(lib.spec.lib_id);
    await rejects(session.call('libraries.setStatus', { libId, status: 'deprecated' }), 'conflict', 'cannot go from draft to deprecated');
    await rejects(session.call('libraries.setStatus', { libId, status: 'draft' }), 'conflict', 'is draft already');
    await rejects(session.call('libraries.setStatus', { libId, status: 'finished' }), 'invalid_request', 'status: "finished" is not in lk_library_status');
    expect((await session.call('libraries.setStatus', { libId, status: 'active' })).spec.status).toBe('active');
    await rejects(session.call('libraries.setStatus', { libId, status: 'draft' }), 'conflict', 'cannot go from active to draft');
    expect((await session.call('libraries.setStatus', { libId, status: 'deprecated' })).spec.status).toBe('deprecated');
    expect((await session.call('libraries.setStatus', { libId, status: 'archived' })).spec.status).toBe('archived');
    await rejects(session.call('libraries.update', { libId, changes: { status: 'active' } }), 'invalid_request', 'status: cannot be edited');
  });

  it('makes a new version with copies of every row; the old one becomes read-only', async () => {
    const { libId, plasmid } = await fullLibrary(session);
    const v2 = await session.call('libraries.newVersion', { libId });
    const newId = String(v2.spec.lib_id);
    expect(newId).not.toBe(libId);
    expect(v2.spec).toMatchObject({ lib_name: 'Plasmid panel', lib_version: '1.1', status: 'draft', previous_lib_id: libId, pore_type: 'R10.4.1' });
    expect(v2.versions.map((v) => v.lib_version)).toEqual(['1.0', '1.1']);
    const old = await session.call('libraries.get', { libId });
    expect(old.readOnly).toBe(true);
    expect(old.spec.status).toBe('deprecated');
    expect(v2.versions.map((v) => v.status)).toEqual(['deprecated', 'draft']);
    for (const key of ['constructs', 'fragments', 'modifications', 'barcodes', 'sample_prep', 'custom_fields'] as const) {
      expect(v2[key].length, key).toBe(old[key].length);
    }
    const newPlasmid = v2.constructs[0]!;
    expect(newPlasmid.construct_id).not.toBe(plasmid);
    expect(newPlasmid).toMatchObject({ name: 'pTest', sequence: PLASMID_SEQ, annotations_json: old.constructs[0]!.annotations_json });
    expect(v2.fragments[0]!.construct_id).toBe(newPlasmid.construct_id);
    expect(v2.modifications[0]).toMatchObject({ fragment_id: v2.fragments[0]!.fragment_id, mod_type: '5mCG_5hmCG' });
    expect(v2.barcodes[0]!.expected_constructs).toBe(newPlasmid.construct_id);
    expect(v2.custom_fields[0]!.entity_id).toBe(newPlasmid.construct_id);
    expect(v2.qc_thresholds).toMatchObject({ lib_id: newId, min_n50: 5000 });

    await rejects(session.call('libraries.update', { libId, changes: { project: 'other' } }), 'conflict', `Library ${libId} (version 1.0) is read-only: version 1.1 (${newId}) replaced it`);
    await rejects(session.call('libraries.addRow', { libId, table: 'constructs', row: { name: 'late' } }), 'conflict', 'is read-only');
    await rejects(session.call('libraries.editRow', { libId, table: 'qc_thresholds', id: libId, changes: { min_n50: 1 } }), 'conflict', 'is read-only');
    await rejects(session.call('libraries.deleteRow', { libId, table: 'constructs', id: plasmid }), 'conflict', 'is read-only');
    await rejects(session.call('libraries.newVersion', { libId }), 'conflict', 'is read-only');
    await rejects(session.call('libraries.delete', { libId }), 'conflict', 'has a newer version');
    // The old version's status may still change (to archive it), and the new one is editable.
    expect((await session.call('libraries.setStatus', { libId, status: 'archived' })).spec.status).toBe('archived');
    expect((await session.call('libraries.update', { libId: newId, changes: { project: 'SMA-2' } })).spec.project).toBe('SMA-2');
    const v3 = await session.call('libraries.newVersion', { libId: newId, major: true });
    expect(v3.spec.lib_version).toBe('2.0');
    expect(v3.versions.map((v) => v.lib_version)).toEqual(['1.0', '1.1', '2.0']);
  });

  it('counts versions: 1.0 → 1.1 / 2.0, and other shapes by their last number', () => {
    expect([nextVersion('1.0', false), nextVersion('1.9', false), nextVersion('1.9', true), nextVersion(null, false)]).toEqual(['1.1', '1.10', '2.0', '1.1']);
    expect([nextVersion('v3', false), nextVersion('1.2.3', false), nextVersion('draft', false)]).toEqual(['v4', '1.2.4', 'draft.1']);
  });

  it('links a spec to experiments with relationship and run purpose', async () => {
    const lib = await session.call('libraries.create', { spec: { lib_name: 'L' } });
    const libId = String(lib.spec.lib_id);
    session.workspace.db.prepare("INSERT INTO experiments (exp_id, sample_id, flow_cell_id, started) VALUES ('EXP1', 'S1', 'FAB123', '2026-11-01T10:00:00Z')").run();
    expect((await session.call('libraries.experiments', {})).map((e) => e.exp_id)).toEqual(['EXP1']);
    const linked = await session.call('libraries.link', { libId, expId: 'EXP1', link: { run_purpose: 'test', notes: 'first run' } });
    expect(linked.experiments).toEqual([{ exp_id: 'EXP1', relationship: 'primary', run_purpose: 'test', notes: 'first run', sample_id: 'S1', flow_cell_id: 'FAB123', started: '2026-11-01T10:00:00Z' }]);
    const relinked = await session.call('libraries.link', { libId, expId: 'EXP1', link: { relationship: 'control', run_purpose: 'production' } });
    expect(relinked.experiments[0]).toMatchObject({ relationship: 'control', run_purpose: 'production', notes: null });
    await rejects(session.call('libraries.link', { libId, expId: 'EXP1', link: { run_purpose: 'fun' } }), 'invalid_request', 'run_purpose: "fun" is not in lk_run_purposes');
    await rejects(session.call('libraries.link', { libId, expId: 'NOPE', link: {} }), 'not_found', 'No experiment "NOPE"');
    await rejects(session.call('libraries.delete', { libId }), 'conflict', 'linked to experiments');
    expect((await session.call('libraries.unlink', { libId, expId: 'EXP1' })).experiments).toEqual([]);
    await session.call('libraries.delete', { libId });
    expect(await session.call('libraries.list', {})).toEqual([]);
  });
});

describe('library export and import', () => {
  it('round-trips exactly: export → import into a fresh workspace → export gives the same text (YAML and JSON)', async () => {
    const { libId } = await fullLibrary(session);
    const yamlText = (await session.call('libraries.export', { libId, format: 'yaml' })).text;
    const jsonText = (await session.call('libraries.export', { libId, format: 'json' })).text;
    const doc = YAML.parse(yamlText) as Record<string, unknown>;
    expect(doc).toMatchObject({ format: 'benchtop-library', format_version: 1, lib_id: libId, lib_name: 'Plasmid panel', status: 'draft' });
    expect(JSON.parse(jsonText)).toEqual(doc);
    const constructs = doc.constructs as Record<string, unknown>[];
    expect(constructs[0]).toMatchObject({ name: 'pTest', annotations_json: { topology: 'circular' }, fragments: [{ name: 'linear', len_tolerance: 150, is_sequenceable: true, modifications: [{ mod_code: 2, positions_json: [1, 5] }] }] });
    expect(doc.sample_prep).toEqual([expect.objectContaining({ a_tailing: false, end_repair: true })]);

    const yamlFile = file('lib.yaml', yamlText);
    const jsonFile = file('lib.json', jsonText);
    for (const [path, format] of [[yamlFile, 'yaml'], [jsonFile, 'json']] as const) {
      const fresh = openTestSession({ workspace: join(dirs.root, `fresh-${format}`), config: dirs.config });
      try {
        const imported = await fresh.call('libraries.import', { path });
        expect(imported.spec.lib_id).toBe(libId);
        const again = await fresh.call('libraries.export', { libId, format });
        expect(again.text).toBe(format === 'yaml' ? yamlText : jsonText);
        // Importing into the same workspace again is refused: ids are kept, never duplicated.
        await rejects(fresh.call('libraries.import', { path }), 'conflict', `${path}: a library spec ${libId} exists already`);
      } finally {
        fresh.close();
      }
    }
  });

  it('writes the export to a file, never over an existing one', async () => {
    const { libId } = await fullLibrary(session);
    const out = join(dirs.root, `${n}-out.yaml`);
    const result = await session.call('libraries.export', { libId, format: 'yaml', path: out });
    expect(result.path).toBe(out);
    expect(readFileSync(out, 'utf8')).toBe(result.text);
    await rejects(session.call('libraries.export', { libId, format: 'yaml', path: out }), 'conflict', 'exists already');
  });

  it('is atomic: a bad field deep inside leaves nothing, and the error names the file and the path', async () => {
    const { libId } = await fullLibrary(session);
    const doc = YAML.parse((await session.call('libraries.export', { libId, format: 'yaml' })).text) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    doc.lib_id = 'LIB-OTHER';
    doc.constructs.push({ name: 'second', sequence: 'ACGT', fragments: [{ name: 'ok' }] });
    doc.constructs.push({ name: 'third', fragments: [{ name: 'bad', expected_len: 'long' }] });
    for (const c of doc.constructs) {
      delete c.construct_id; // fresh ids
      for (const f of c.fragments) delete f.fragment_id;
    }
    for (const b of doc.barcodes) delete b.barcode_id;
    for (const p of doc.sample_prep) delete p.prep_id;
    const bad = file('bad.yaml', YAML.stringify(doc));
    const before = session.workspace.db.prepare('SELECT (SELECT COUNT(*) FROM library_specs) || (SELECT COUNT(*) FROM lib_constructs) || (SELECT COUNT(*) FROM lib_fragments)').pluck().get();
    await rejects(session.call('libraries.import', { path: bad }), 'invalid_request', `${bad}: constructs[3].fragments[0].expected_len: must be a whole number, not "long".`);
    expect(session.workspace.db.prepare('SELECT (SELECT COUNT(*) FROM library_specs) || (SELECT COUNT(*) FROM lib_constructs) || (SELECT COUNT(*) FROM lib_fragments)').pluck().get()).toBe(before);

    doc.constructs[3].fragments[0].expected_len = 100;
    doc.barcodes[0].barcode_kit = 'SQK-XXX';
    await rejects(session.call('libraries.import', { path: file('bad2.yaml', YAML.stringify(doc)) }), 'invalid_request', 'barcodes[0].barcode_kit: "SQK-XXX" is not in lk_sequencing_kits');
    doc.barcodes[0].barcode_kit = 'SQK-NBD114.24';
    doc.constructs[1].fragments = 'none';
    await rejects(session.call('libraries.import', { path: file('bad3.yaml', YAML.stringify(doc)) }), 'invalid_request', 'constructs[1].fragments: must be a list.');
    doc.constructs[1].fragments = [];
    await rejects(session.call('libraries.import', { path: file('bad4.yaml', YAML.stringify({ ...doc, format: 'other' })) }), 'invalid_request', 'format: must be benchtop-library');
    await rejects(session.call('libraries.import', { path: file('bad5.yaml', 'a: [1, 2\n') }), 'invalid_request', /bad5\.yaml: not valid YAML/);
    await rejects(session.call('libraries.import', { path: file('bad6.json', '{"a": ') }), 'invalid_request', /bad6\.json: not valid JSON/);

    const imported = await session.call('libraries.import', { path: file('good.yaml', YAML.stringify(doc)) });
    expect(imported.spec.lib_id).toBe('LIB-OTHER');
    expect(imported.constructs.map((c) => c.name)).toEqual(['pTest', 'amp1', 'second', 'third']);
    expect(imported.fragments.find((f) => f.name === 'bad')).toMatchObject({ expected_len: 100, len_tolerance: 150 });
  });
});

describe('library files with a key written twice or a __proto__ key', () => {
  it('refuses them in JSON and in YAML, naming the file, the key and its path; nothing is stored', async () => {
    const { libId } = await fullLibrary(session);
    const json = (await session.call('libraries.export', { libId, format: 'json' })).text.replace(`"lib_id": "${libId}"`, '"lib_id": "LIB-DUP"');
    const specs = () => session.workspace.db.prepare('SELECT COUNT(*) FROM library_specs').pluck().get();
    const before = specs();
    const dup = file('dup.json', json.replace('"name": "amp1",', '"name": "amp1",\n      "name": "amp2",'));
    await rejects(session.call('libraries.import', { path: dup }), 'invalid_request', new RegExp(`^${dup}: duplicate key "name" at \\$\\.constructs\\[1\\] \\(line \\d+\\)$`));
    const proto = file('proto.json', json.replace('"min_n50": 5000,', '"min_n50": 5000,\n    "__proto__": {"polluted": true},'));
    await rejects(session.call('libraries.import', { path: proto }), 'invalid_request', `${proto}: key "__proto__" is not allowed at $.qc_thresholds`);
    const yaml = (await session.call('libraries.export', { libId, format: 'yaml' })).text.replace(`lib_id: ${libId}`, 'lib_id: LIB-DUP');
    const dupYaml = file('dup.yaml', yaml.replace('lib_name: Plasmid panel\n', 'lib_name: Plasmid panel\nlib_name: Other panel\n'));
    await rejects(session.call('libraries.import', { path: dupYaml }), 'invalid_request', `${dupYaml}: duplicate key "lib_name" at $ (line`);
    const protoYaml = file('proto.yaml', yaml.replace('constructs:\n  - ', 'constructs:\n  - __proto__: {polluted: true}\n    '));
    await rejects(session.call('libraries.import', { path: protoYaml }), 'invalid_request', `${protoYaml}: key "__proto__" is not allowed at $.constructs[0]`);
    expect(specs()).toBe(before);
    // Without the second key, the same file imports (once the ids it carries are free again).
    await session.call('libraries.delete', { libId });
    expect((await session.call('libraries.import', { path: file('ok.json', json) })).spec.lib_id).toBe('LIB-DUP');
  });
});

describe('sequence files that cannot be stored whole', () => {
  const rowCounts = () => session.workspace.db.prepare('SELECT (SELECT COUNT(*) FROM lib_constructs) AS constructs, (SELECT COUNT(*) FROM audit_log) AS audit').get();

  async function refusedAndUnchanged(path: string, message: string | RegExp): Promise<void> {
    const lib = await session.call('libraries.create', { spec: { lib_name: 'Refusals' } });
    const libId = String(lib.spec.lib_id);
    await session.call('libraries.importConstructs', { libId, path: file('ok.gb', plasmidGenbank()) });
    const before = rowCounts();
    await rejects(session.call('libraries.importConstructs', { libId, path }), 'invalid_request', message);
    expect(rowCounts()).toEqual(before);
    // The library still opens: nothing past what its responses can carry was stored.
    expect((await session.call('libraries.get', { libId })).constructs).toHaveLength(2);
  }

  it('refuses a 20 Mbp GenBank record before storing it, naming the file, the record and the limit', async () => {
    const big = join(dirs.root, `${n}-chromosome.gb`);
    writeLargeGenbank(big, 'chr1', 20_000_000);
    await refusedAndUnchanged(big, `${big}: record 1 (chr1) is 20,000,000 bp long; a construct holds at most ${MAX_FIELD_CHARS.toLocaleString('en-US')} bp.`);
  });

  it('refuses a construct past the limit in a library file too (the same limit, named with its path)', async () => {
    const { libId } = await fullLibrary(session);
    const doc = JSON.parse((await session.call('libraries.export', { libId, format: 'json' })).text) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    doc.lib_id = 'LIB-BIG';
    doc.constructs = [{ name: 'huge', sequence: 'A'.repeat(MAX_FIELD_CHARS + 1) }];
    delete doc.barcodes;
    delete doc.custom_fields;
    const path = file('big.json', JSON.stringify(doc));
    await rejects(session.call('libraries.import', { path }), 'invalid_request', `${path}: constructs[0].sequence: is 10,000,001 characters long; a field holds at most 10,000,000.`);
    await rejects(session.call('libraries.get', { libId: 'LIB-BIG' }), 'not_found', 'LIB-BIG');
  });

  it('says a GenBank file cut in its FEATURES or in its ORIGIN ends early, and stores nothing', async () => {
    const text = genbank([{ name: 'pCut', seq: PLASMID_SEQ.repeat(3), circular: true, features: PLASMID_FEATURES }]);
    const inFeatures = file('cut-features.gb', text.slice(0, text.indexOf('/note')));
    await refusedAndUnchanged(inFeatures, `${inFeatures}: the file ends early (record pCut: no "//" line).`);
    const inOrigin = file('cut-origin.gb', text.slice(0, text.indexOf('ORIGIN') + 100));
    await refusedAndUnchanged(inOrigin, `${inOrigin}: the file ends early (record pCut: no "//" line).`);
  });

  it('refuses a GenBank record whose ORIGIN holds fewer bases than its LOCUS line declares', async () => {
    const text = genbank([{ name: 'pLost', seq: PLASMID_SEQ.repeat(4) }]);
    // Two ORIGIN lines gone, the `//` kept.
    const lines = text.split('\n');
    const origin = lines.indexOf('ORIGIN');
    const path = file('lost.gb', [...lines.slice(0, origin + 2), ...lines.slice(origin + 4)].join('\n'));
    await refusedAndUnchanged(path, `${path}: record 1 (pLost): the ORIGIN ends early (it holds 120 of the 240 bp its LOCUS line declares).`);
  });

  it('refuses a GenBank record whose features lie past its sequence', async () => {
    const path = file('short.gb', genbank([{ name: 'pShort', seq: 'ACGTACGTAC', features: '     CDS             5..40\n                     /label="longer"\n' }]));
    await refusedAndUnchanged(path, `${path}: record 1 (pShort): the feature "longer" lies outside the 10 bp of sequence`);
  });

  it('refuses a SnapGene file whose DNA block declares more bytes than it holds', async () => {
    const whole = snapgene(PLASMID_SEQ, [{ name: 'ori', type: 'rep_origin', range: [2, 10], directionality: 1 }]);
    // cookie block (5 + 14) + DNA block header (5) + 1 flag byte + 3 bases
    const path = file('cut.dna', whole.subarray(0, 19 + 5 + 1 + 3));
    await refusedAndUnchanged(path, `${path}: truncated (the DNA block declares 61 bytes, 4 are present).`);
  });
});
