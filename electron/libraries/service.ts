import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../db/repos/audit';
import {
  childRow,
  childRows,
  deleteChild,
  deleteSpec,
  experimentLinks,
  insertRow,
  listSpecSummaries,
  ownerOf,
  specRow,
  successorOf,
  updateRow,
  versionLine,
  type SqlRow,
  type SqlValue,
} from '../../db/repos/libraries';
import { ApiError } from '../../shared/errors';
import {
  CHILD_DEFS,
  LINK_FIELDS,
  SPEC_FIELDS,
  STATUS_TRANSITIONS,
  type ChildTable,
  type LibRow,
  type LibraryDetail,
  type LibrarySummary,
  nextVersion,
} from '../../shared/schemas/libraries';
import { readSequenceFile } from './sequenceFiles';
import { checkFragmentLengths, checkQcOrder, checkRow, gcFraction, invalid } from './validate';

type Db = Database.Database;

export interface Actor {
  actor?: string | undefined;
}

export function newId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8).toUpperCase()}`;
}

function now(): string {
  return new Date().toISOString();
}

function requireSpec(db: Db, libId: string): SqlRow {
  const spec = specRow(db, libId);
  if (!spec) throw new ApiError('not_found', `No library spec ${JSON.stringify(libId)}.`);
  return spec;
}

/** Edits go to the newest version only; an older one is the record of what was sequenced. */
function requireEditable(db: Db, libId: string): SqlRow {
  const spec = requireSpec(db, libId);
  const next = successorOf(db, libId);
  if (next !== undefined) {
    throw new ApiError('conflict', `Library ${libId} (version ${spec.lib_version}) is read-only: version ${specRow(db, next)?.lib_version} (${next}) replaced it. Edit the newest version instead.`);
  }
  return spec;
}

function audit(db: Db, actor: Actor, action: string, libId: string, details?: unknown): void {
  recordAudit(db, { actor: actor.actor, action, entityType: 'library_spec', entityId: libId, details });
}

export function listLibraries(db: Db): LibrarySummary[] {
  return listSpecSummaries(db);
}

export function getLibrary(db: Db, libId: string): LibraryDetail {
  const spec = requireSpec(db, libId);
  const constructs = childRows(db, 'constructs', [libId]);
  const fragments = childRows(db, 'fragments', constructs.map((c) => String(c.construct_id)));
  const mods = childRows(db, 'modifications', fragments.map((f) => String(f.fragment_id)));
  return {
    spec,
    readOnly: successorOf(db, libId) !== undefined,
    versions: versionLine(db, libId) as LibraryDetail['versions'],
    constructs,
    fragments,
    modifications: mods,
    barcodes: childRows(db, 'barcodes', [libId]),
    sample_prep: childRows(db, 'sample_prep', [libId]),
    qc_thresholds: childRows(db, 'qc_thresholds', [libId])[0] ?? null,
    custom_fields: childRows(db, 'custom_fields', [libId]),
    experiments: experimentLinks(db, libId) as LibraryDetail['experiments'],
  };
}

function checkLibId(libId: unknown, where: string): string {
  if (typeof libId !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(libId)) {
    throw invalid(where, `an id is 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit, not ${JSON.stringify(libId)}.`);
  }
  return libId;
}

/** Inserts a spec row and its QC thresholds (the seed's defaults, or the given ones); no transaction of its own. */
export function insertSpec(db: Db, input: Record<string, unknown>, where: string, opts: { keepDates?: boolean } = {}): string {
  const { lib_id: givenId, created_at, updated_at, ...fields } = input;
  const libId = givenId === undefined || givenId === null || givenId === '' ? newId('LIB') : checkLibId(givenId, where ? `${where}.lib_id` : 'lib_id');
  if (specRow(db, libId)) throw new ApiError('conflict', `${where ? `${where}.lib_id: ` : ''}a library spec ${libId} exists already in this workspace.`);
  const row = checkRow(db, SPEC_FIELDS, fields, where, { fill: true });
  const dates: SqlRow = opts.keepDates
    ? { created_at: typeof created_at === 'string' ? created_at : now(), updated_at: typeof updated_at === 'string' ? updated_at : null }
    : { created_at: now() };
  insertRow(db, 'library_specs', { lib_id: libId, ...row, ...dates });
  return libId;
}

export function createLibrary(db: Db, input: LibRow, actor: Actor = {}): LibraryDetail {
  if (input.status !== undefined && input.status !== null && input.status !== 'draft') {
    throw invalid('status', 'a new library spec starts as draft; change its status once it is saved.');
  }
  const libId = db.transaction(() => {
    const id = insertSpec(db, input, '');
    insertRow(db, 'lib_qc_thresholds', { lib_id: id, ...checkRow(db, CHILD_DEFS.qc_thresholds.fields, {}, '', { fill: true }) });
    audit(db, actor, 'libraries.create', id, { lib_name: input.lib_name });
    return id;
  }).immediate();
  return getLibrary(db, libId);
}

export function updateLibrary(db: Db, libId: string, changes: LibRow, actor: Actor = {}): LibraryDetail {
  for (const locked of ['lib_id', 'lib_version', 'status', 'created_at', 'updated_at', 'previous_lib_id']) {
    if (locked in changes) {
      const how = locked === 'status' ? 'change it with a status change' : locked === 'lib_version' ? 'make a new version instead' : 'it is kept by Benchtop';
      throw invalid(locked, `cannot be edited (${how}).`);
    }
  }
  db.transaction(() => {
    requireEditable(db, libId);
    const row = checkRow(db, SPEC_FIELDS, changes, '', { fill: false });
    updateRow(db, 'library_specs', 'lib_id', libId, { ...row, updated_at: now() });
    audit(db, actor, 'libraries.update', libId, row);
  }).immediate();
  return getLibrary(db, libId);
}

/** draft → active → archived/deprecated (and back to active); never back to draft. */
export function setStatus(db: Db, libId: string, status: string, actor: Actor = {}): LibraryDetail {
  db.transaction(() => {
    const spec = requireSpec(db, libId);
    const from = String(spec.status ?? 'draft');
    const [checked] = Object.values(checkRow(db, SPEC_FIELDS.filter((f) => f.name === 'status'), { status }, '', { fill: false }));
    if (checked === from) throw new ApiError('conflict', `Library ${libId} is ${from} already.`);
    const allowed = STATUS_TRANSITIONS[from];
    const toSeed = Object.hasOwn(STATUS_TRANSITIONS, status);
    if (status === 'draft' || (allowed && toSeed && !allowed.includes(status))) {
      throw new ApiError('conflict', `A library spec cannot go from ${from} to ${status} (from ${from}: ${allowed?.join(' or ') ?? 'any status but draft'}).`);
    }
    updateRow(db, 'library_specs', 'lib_id', libId, { status, updated_at: now() });
    audit(db, actor, 'libraries.status', libId, { from, to: status });
  }).immediate();
  return getLibrary(db, libId);
}

export function deleteLibrary(db: Db, libId: string, actor: Actor = {}): void {
  db.transaction(() => {
    const spec = requireSpec(db, libId);
    const next = successorOf(db, libId);
    if (next !== undefined) throw new ApiError('conflict', `Library ${libId} has a newer version (${next}): delete that one first.`);
    if (experimentLinks(db, libId).length > 0) throw new ApiError('conflict', `Library ${libId} is linked to experiments: unlink them first.`);
    deleteSpec(db, libId);
    audit(db, actor, 'libraries.delete', libId, { lib_name: spec.lib_name, lib_version: spec.lib_version });
  }).immediate();
}

/** The parent a new child row hangs from must belong to the spec. */
function checkParent(db: Db, libId: string, table: ChildTable, parent: unknown, where: string): string {
  const def = CHILD_DEFS[table];
  if (def.parent === 'library') return libId;
  const parentTable = def.parent;
  if (typeof parent !== 'string' || ownerOf(db, parentTable, parent) !== libId) {
    throw invalid(`${where ? `${where}.` : ''}${def.parentColumn}`, `${JSON.stringify(parent ?? null)} is not a ${parentTable === 'constructs' ? 'construct' : 'fragment'} of library ${libId}.`);
  }
  return parent;
}

/** Derived columns: a construct's length and GC from its sequence, a modification's type from its code. */
function derive(db: Db, table: ChildTable, row: SqlRow, stored?: SqlRow): SqlRow {
  if (table === 'constructs') {
    const sequence = row.sequence !== undefined ? row.sequence : stored?.sequence;
    if (typeof sequence === 'string' && sequence.length > 0) return { ...row, length: sequence.length, gc_content: gcFraction(sequence) };
    if (row.sequence !== undefined || !stored) return { ...row, gc_content: null };
  }
  if (table === 'modifications' && row.mod_code !== undefined) {
    return { ...row, mod_type: db.prepare('SELECT mod_type FROM lk_modifications WHERE mod_code = ?').pluck().get(row.mod_code) as string };
  }
  return row;
}

/**
 * A new child row of a spec (no transaction of its own). Text ids may be given (kept) or are
 * generated; integer ids are the database's.
 */
export function insertChild(db: Db, libId: string, table: ChildTable, input: Record<string, unknown>, where: string): string {
  const def = CHILD_DEFS[table];
  const parent = checkParent(db, libId, table, input[def.parentColumn], where);
  const extra = [def.idColumn, def.parentColumn];
  let row = derive(db, table, checkRow(db, def.fields, input, where, { fill: true, extra }));
  if (table === 'fragments') checkFragmentLengths(row, where);
  if (table === 'qc_thresholds') checkQcOrder(row, def.fields, where);
  if (table === 'barcodes') checkBarcodeKit(db, row, where);
  if (def.idKind === 'integer') {
    if (input[def.idColumn] !== undefined && input[def.idColumn] !== null) throw invalid(`${where ? `${where}.` : ''}${def.idColumn}`, 'is given by the database; leave it out.');
    return String(insertRow(db, def.sqlTable, { [def.parentColumn]: parent, ...row }));
  }
  const given = input[def.idColumn];
  const id = table === 'qc_thresholds' ? libId : given === undefined || given === null || given === '' ? newId(def.idPrefix ?? 'ID') : checkLibId(given, `${where ? `${where}.` : ''}${def.idColumn}`);
  if (childRow(db, table, id)) throw new ApiError('conflict', `${where ? `${where}.${def.idColumn}: ` : ''}${def.idColumn} ${id} exists already in this workspace.`);
  row = { [def.idColumn]: id, ...(def.idColumn === def.parentColumn ? {} : { [def.parentColumn]: parent }), ...row };
  insertRow(db, def.sqlTable, row);
  return id;
}

/** A barcode's kit must be a barcoding kit (lk_sequencing_kits.barcoding = 1). */
function checkBarcodeKit(db: Db, row: SqlRow, where: string): void {
  if (typeof row.barcode_kit !== 'string') return;
  const barcoding = db.prepare('SELECT barcoding FROM lk_sequencing_kits WHERE kit_id = ?').pluck().get(row.barcode_kit);
  if (barcoding !== 1) throw invalid(`${where ? `${where}.` : ''}barcode_kit`, `${row.barcode_kit} is not a barcoding kit.`);
}

function touch(db: Db, libId: string): void {
  updateRow(db, 'library_specs', 'lib_id', libId, { updated_at: now() });
}

function requireChild(db: Db, libId: string, table: ChildTable, id: string): string | number {
  const key = CHILD_DEFS[table].idKind === 'integer' ? Number(id) : id;
  if (ownerOf(db, table, key) !== libId) throw new ApiError('not_found', `Library ${libId} has no ${table.replace(/_/g, ' ')} row ${JSON.stringify(id)}.`);
  return key;
}

export function addRow(db: Db, libId: string, table: ChildTable, row: LibRow, actor: Actor = {}): { id: string; library: LibraryDetail } {
  if (table === 'qc_thresholds') throw new ApiError('invalid_request', 'A library has one set of QC thresholds: edit them instead of adding a row.');
  const id = db.transaction(() => {
    requireEditable(db, libId);
    const newRow = insertChild(db, libId, table, row, '');
    touch(db, libId);
    audit(db, actor, `libraries.${table}.add`, libId, { id: newRow });
    return newRow;
  }).immediate();
  return { id, library: getLibrary(db, libId) };
}

export function editRow(db: Db, libId: string, table: ChildTable, id: string, changes: LibRow, actor: Actor = {}): LibraryDetail {
  const def = CHILD_DEFS[table];
  db.transaction(() => {
    requireEditable(db, libId);
    const key = requireChild(db, libId, table, id);
    if (def.idColumn in changes || def.parentColumn in changes) throw invalid(def.idColumn in changes ? def.idColumn : def.parentColumn, 'cannot be edited.');
    const stored = childRow(db, table, key)!;
    const row = derive(db, table, checkRow(db, def.fields, changes, '', { fill: false }), stored);
    if (table === 'fragments') checkFragmentLengths({ ...stored, ...row }, '');
    if (table === 'qc_thresholds') checkQcOrder({ ...stored, ...row }, def.fields, '');
    if (table === 'barcodes') checkBarcodeKit(db, row, '');
    updateRow(db, def.sqlTable, def.idColumn, key, row);
    touch(db, libId);
    audit(db, actor, `libraries.${table}.edit`, libId, { id, changes: Object.keys(row) });
  }).immediate();
  return getLibrary(db, libId);
}

export function removeRow(db: Db, libId: string, table: ChildTable, id: string, actor: Actor = {}): LibraryDetail {
  if (table === 'qc_thresholds') throw new ApiError('invalid_request', 'A library always has QC thresholds: edit them instead.');
  db.transaction(() => {
    requireEditable(db, libId);
    deleteChild(db, table, requireChild(db, libId, table, id));
    touch(db, libId);
    audit(db, actor, `libraries.${table}.delete`, libId, { id });
  }).immediate();
  return getLibrary(db, libId);
}

/** One construct per record of a FASTA, GenBank or SnapGene file; all or none. */
export async function importConstructs(
  db: Db,
  libId: string,
  file: string,
  opts: { constructType?: string | undefined } & Actor = {},
): Promise<{ ids: string[]; library: LibraryDetail }> {
  requireEditable(db, libId);
  const { format, records } = await readSequenceFile(file);
  const ids = db.transaction(() => {
    requireEditable(db, libId);
    const made = records.map((r, i) =>
      insertChild(
        db,
        libId,
        'constructs',
        {
          name: r.name,
          construct_type: opts.constructType ?? (r.annotations.topology === 'circular' ? 'plasmid' : null),
          sequence: r.sequence,
          source_file: file,
          source_format: format,
          genbank_accession: r.accession,
          organism: r.organism,
          annotations_json: JSON.stringify(r.annotations),
        },
        `${file}: record ${i + 1}`,
      ),
    );
    touch(db, libId);
    audit(db, opts, 'libraries.constructs.import', libId, { file, format, constructs: made });
    return made;
  }).immediate();
  return { ids, library: getLibrary(db, libId) };
}

/**
 * A copy of the spec and all its rows, with new ids, the next version and status draft; the old
 * spec becomes read-only and, unless archived, deprecated (the seed's "replaced by newer version").
 * Experiment links stay with the version that was sequenced.
 */
export function newVersion(db: Db, libId: string, opts: { major?: boolean | undefined } & Actor = {}): LibraryDetail {
  const copyId = db.transaction(() => {
    const spec = requireEditable(db, libId);
    const old = getLibrary(db, libId);
    const id = newId('LIB');
    insertRow(db, 'library_specs', {
      ...spec,
      lib_id: id,
      lib_version: nextVersion(spec.lib_version === null ? null : String(spec.lib_version), opts.major === true),
      status: 'draft',
      created_at: now(),
      updated_at: null,
      previous_lib_id: libId,
    });
    const ids = new Map<string, string>();
    const copy = (table: ChildTable, row: LibRow, parent: string) => {
      const def = CHILD_DEFS[table];
      const fields: SqlRow = Object.fromEntries(def.fields.map((f) => [f.name, (row[f.name] ?? null) as SqlValue]));
      if (def.idKind === 'integer') return String(insertRow(db, def.sqlTable, { ...fields, [def.parentColumn]: parent }));
      const newKey = table === 'qc_thresholds' ? id : newId(def.idPrefix ?? 'ID');
      ids.set(String(row[def.idColumn]), newKey);
      insertRow(db, def.sqlTable, { ...fields, [def.idColumn]: newKey, [def.parentColumn]: parent });
      return newKey;
    };
    for (const c of old.constructs) {
      const cId = copy('constructs', c, id);
      for (const f of old.fragments.filter((x) => x.construct_id === c.construct_id)) {
        const fId = copy('fragments', f, cId);
        for (const m of old.modifications.filter((x) => x.fragment_id === f.fragment_id)) copy('modifications', m, fId);
      }
    }
    // Barcodes may name expected constructs and fragments by id: those point at the copies.
    const remap = (text: LibRow[string] | undefined) =>
      typeof text === 'string' && text.split(',').some((t) => ids.has(t.trim())) ? text.split(',').map((t) => ids.get(t.trim()) ?? t.trim()).join(', ') : (text ?? null);
    for (const b of old.barcodes) copy('barcodes', { ...b, expected_constructs: remap(b.expected_constructs), expected_fragments: remap(b.expected_fragments) }, id);
    for (const p of old.sample_prep) copy('sample_prep', p, id);
    if (old.qc_thresholds) copy('qc_thresholds', old.qc_thresholds, id);
    for (const cf of old.custom_fields) {
      const entity = typeof cf.entity_id === 'string' ? (cf.entity_id === libId ? id : (ids.get(cf.entity_id) ?? cf.entity_id)) : (cf.entity_id ?? null);
      copy('custom_fields', { ...cf, entity_id: entity }, id);
    }
    if (spec.status !== 'archived') updateRow(db, 'library_specs', 'lib_id', libId, { status: 'deprecated', updated_at: now() });
    audit(db, opts, 'libraries.newVersion', id, { from: libId, previousStatus: spec.status });
    return id;
  }).immediate();
  return getLibrary(db, copyId);
}

export function linkExperiment(db: Db, libId: string, expId: string, fields: LibRow, actor: Actor = {}): LibraryDetail {
  db.transaction(() => {
    requireSpec(db, libId);
    if (!db.prepare('SELECT 1 FROM experiments WHERE exp_id = ?').get(expId)) throw new ApiError('not_found', `No experiment ${JSON.stringify(expId)}.`);
    const row = checkRow(db, LINK_FIELDS, fields, '', { fill: true });
    db.prepare(
      `INSERT INTO lib_experiment_link (lib_id, exp_id, relationship, run_purpose, notes) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (lib_id, exp_id) DO UPDATE SET relationship = excluded.relationship, run_purpose = excluded.run_purpose, notes = excluded.notes`,
    ).run(libId, expId, row.relationship ?? null, row.run_purpose ?? null, row.notes ?? null);
    audit(db, actor, 'libraries.link', libId, { exp_id: expId, ...row });
  }).immediate();
  return getLibrary(db, libId);
}

export function unlinkExperiment(db: Db, libId: string, expId: string, actor: Actor = {}): LibraryDetail {
  db.transaction(() => {
    requireSpec(db, libId);
    const result = db.prepare('DELETE FROM lib_experiment_link WHERE lib_id = ? AND exp_id = ?').run(libId, expId);
    if (result.changes === 0) throw new ApiError('not_found', `Library ${libId} is not linked to experiment ${expId}.`);
    audit(db, actor, 'libraries.unlink', libId, { exp_id: expId });
  }).immediate();
  return getLibrary(db, libId);
}
