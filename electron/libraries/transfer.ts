import type Database from 'better-sqlite3';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import YAML from 'yaml';
import { ApiError } from '../../shared/errors';
import { CHILD_DEFS, SPEC_FIELDS, type ChildTable, type LibField, type LibRow } from '../../shared/schemas/libraries';
import { getLibrary, insertChild, insertSpec, type Actor } from './service';
import { recordAudit } from '../../db/repos/audit';
import { DocumentKeyError, parseStrictJson } from '../../shared/strictJson';
import { parseStrictYaml } from './strictYaml';
import { invalid } from './validate';

/**
 * A whole library spec as one YAML or JSON document: the spec's columns at the top, then its QC
 * thresholds, constructs (each with its fragments, each with its modifications), barcodes, sample
 * preparations and custom fields. Every column is written, nulls included, so an import stores
 * exactly what was exported. Text ids are kept; the database's integer ids (modifications, custom
 * fields) and experiment links (they name experiments of the source workspace) are not exported.
 */
export const LIBRARY_FORMAT = 'benchtop-library';
export const LIBRARY_FORMAT_VERSION = 1;
export type ExportFormat = 'yaml' | 'json';

type Doc = Record<string, unknown>;

function exportValue(field: LibField, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (field.kind === 'bool') return value === 1 || value === true;
  if (field.json && typeof value === 'string') {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  return value;
}

function exportRow(table: ChildTable, row: LibRow): Doc {
  const def = CHILD_DEFS[table];
  const out: Doc = {};
  if (def.idKind === 'text' && table !== 'qc_thresholds') out[def.idColumn] = row[def.idColumn];
  for (const f of def.fields) out[f.name] = exportValue(f, row[f.name]);
  return out;
}

export function libraryDocument(db: Database.Database, libId: string): Doc {
  const lib = getLibrary(db, libId);
  const doc: Doc = { format: LIBRARY_FORMAT, format_version: LIBRARY_FORMAT_VERSION, lib_id: lib.spec.lib_id };
  for (const f of SPEC_FIELDS) doc[f.name] = exportValue(f, lib.spec[f.name]);
  doc.created_at = lib.spec.created_at ?? null;
  doc.updated_at = lib.spec.updated_at ?? null;
  doc.qc_thresholds = lib.qc_thresholds ? exportRow('qc_thresholds', lib.qc_thresholds) : null;
  doc.constructs = lib.constructs.map((c) => ({
    ...exportRow('constructs', c),
    fragments: lib.fragments
      .filter((f) => f.construct_id === c.construct_id)
      .map((f) => ({ ...exportRow('fragments', f), modifications: lib.modifications.filter((m) => m.fragment_id === f.fragment_id).map((m) => exportRow('modifications', m)) })),
  }));
  doc.barcodes = lib.barcodes.map((b) => exportRow('barcodes', b));
  doc.sample_prep = lib.sample_prep.map((p) => exportRow('sample_prep', p));
  doc.custom_fields = lib.custom_fields.map((cf) => exportRow('custom_fields', cf));
  return doc;
}

export function exportLibrary(db: Database.Database, libId: string, format: ExportFormat): string {
  const doc = libraryDocument(db, libId);
  return format === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : YAML.stringify(doc, { lineWidth: 0 });
}

export function formatOfFile(file: string): ExportFormat {
  return extname(file).toLowerCase() === '.json' ? 'json' : 'yaml';
}

function isObject(value: unknown): value is Doc {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(doc: Doc, key: string, where: string): Doc[] {
  const value = doc[key];
  if (value === undefined || value === null) return [];
  const path = where ? `${where}.${key}` : key;
  if (!Array.isArray(value)) throw invalid(path, 'must be a list.');
  return value.map((item, i) => {
    if (!isObject(item)) throw invalid(`${path}[${i}]`, 'must be a mapping of field names to values.');
    return item;
  });
}

/** JSON columns come back as structures: stored as JSON text again. */
function importRow(table: ChildTable | 'spec', item: Doc, drop: readonly string[]): Doc {
  const fields = table === 'spec' ? SPEC_FIELDS : CHILD_DEFS[table].fields;
  const out: Doc = {};
  for (const [key, value] of Object.entries(item)) {
    if (drop.includes(key)) continue;
    const field = fields.find((f) => f.name === key);
    out[key] = field?.json && value !== null && typeof value === 'object' ? JSON.stringify(value) : value;
  }
  return out;
}

function importDocument(db: Database.Database, doc: Doc, actor: Actor, file: string): string {
  if (doc.format !== LIBRARY_FORMAT) throw invalid('format', `must be ${LIBRARY_FORMAT} (a file written by \`benchtop libraries export\`), not ${JSON.stringify(doc.format ?? null)}.`);
  if (doc.format_version !== LIBRARY_FORMAT_VERSION) throw invalid('format_version', `this Benchtop reads version ${LIBRARY_FORMAT_VERSION}, not ${JSON.stringify(doc.format_version ?? null)}.`);
  const nested = ['format', 'format_version', 'qc_thresholds', 'constructs', 'barcodes', 'sample_prep', 'custom_fields'];
  const libId = insertSpec(db, importRow('spec', doc, nested), '', { keepDates: true });

  const qc = doc.qc_thresholds;
  if (qc !== undefined && qc !== null && !isObject(qc)) throw invalid('qc_thresholds', 'must be a mapping of field names to values.');
  insertChild(db, libId, 'qc_thresholds', { ...importRow('qc_thresholds', qc ?? {}, []), lib_id: libId }, 'qc_thresholds');

  list(doc, 'constructs', '').forEach((c, ci) => {
    const cw = `constructs[${ci}]`;
    const constructId = insertChild(db, libId, 'constructs', { ...importRow('constructs', c, ['fragments']), lib_id: libId }, cw);
    list(c, 'fragments', cw).forEach((f, fi) => {
      const fw = `${cw}.fragments[${fi}]`;
      const fragmentId = insertChild(db, libId, 'fragments', { ...importRow('fragments', f, ['modifications']), construct_id: constructId }, fw);
      list(f, 'modifications', fw).forEach((m, mi) => {
        insertChild(db, libId, 'modifications', { ...importRow('modifications', m, []), fragment_id: fragmentId }, `${fw}.modifications[${mi}]`);
      });
    });
  });
  for (const table of ['barcodes', 'sample_prep', 'custom_fields'] as const) {
    list(doc, table, '').forEach((row, i) => insertChild(db, libId, table, { ...importRow(table, row, []), lib_id: libId }, `${table}[${i}]`));
  }
  recordAudit(db, { actor: actor.actor, action: 'libraries.import', entityType: 'library_spec', entityId: libId, details: { file } });
  return libId;
}

function parseDocument(file: string, text: string): Doc {
  let doc: unknown;
  try {
    doc = formatOfFile(file) === 'json' ? parseStrictJson(text) : parseStrictYaml(text);
  } catch (err) {
    if (err instanceof DocumentKeyError) throw new ApiError('invalid_request', `${file}: ${err.message}`);
    throw new ApiError('invalid_request', `${file}: not valid ${formatOfFile(file) === 'json' ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!isObject(doc)) throw new ApiError('invalid_request', `${file}: expected a library spec (a mapping with format: ${LIBRARY_FORMAT}).`);
  return doc;
}

/** Imports a whole spec in one transaction: a bad field anywhere leaves nothing behind. */
export async function importLibraryFile(db: Database.Database, file: string, actor: Actor = {}): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ApiError('invalid_request', `${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`);
  }
  const doc = parseDocument(file, text);
  try {
    return db.transaction(() => importDocument(db, doc, actor, file)).immediate();
  } catch (err) {
    if (err instanceof ApiError) throw new ApiError(err.code, `${file}: ${err.message}`);
    throw err;
  }
}
