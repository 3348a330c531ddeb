import type Database from 'better-sqlite3';
import { CHILD_DEFS, SPEC_FIELDS, type ChildTable, type LibRow, type LibrarySummary } from '../../shared/schemas/libraries';

/**
 * SQL for the library specification tables. Table and column names come only from the field lists
 * in shared/schemas/libraries.ts, never from a request, so they are safe to quote into SQL.
 */
type Db = Database.Database;
export type SqlValue = string | number | null;
export type SqlRow = Record<string, SqlValue>;

const SPEC_COLUMNS = ['lib_id', ...SPEC_FIELDS.map((f) => f.name), 'created_at', 'updated_at', 'previous_lib_id'];

export function specRow(db: Db, libId: string): SqlRow | undefined {
  return db.prepare(`SELECT ${SPEC_COLUMNS.join(', ')} FROM library_specs WHERE lib_id = ?`).get(libId) as SqlRow | undefined;
}

export function listSpecSummaries(db: Db): LibrarySummary[] {
  const rows = db
    .prepare(
      `SELECT s.lib_id, s.lib_name, s.lib_version, s.project, s.status, s.created_at, s.updated_at, s.previous_lib_id,
              EXISTS (SELECT 1 FROM library_specs n WHERE n.previous_lib_id = s.lib_id) AS read_only,
              (SELECT COUNT(*) FROM lib_constructs c WHERE c.lib_id = s.lib_id) AS constructs,
              (SELECT COUNT(*) FROM lib_barcodes b WHERE b.lib_id = s.lib_id) AS barcodes,
              (SELECT COUNT(*) FROM lib_experiment_link l WHERE l.lib_id = s.lib_id) AS experiments
         FROM library_specs s ORDER BY s.lib_name COLLATE NOCASE, s.rowid`,
    )
    .all() as (Omit<LibrarySummary, 'readOnly'> & { read_only: number })[];
  return rows.map(({ read_only, ...r }) => ({ ...r, readOnly: read_only === 1 }));
}

export function successorOf(db: Db, libId: string): string | undefined {
  return db.prepare('SELECT lib_id FROM library_specs WHERE previous_lib_id = ?').pluck().get(libId) as string | undefined;
}

/** Every version of the spec's line, oldest first. */
export function versionLine(db: Db, libId: string): SqlRow[] {
  const get = db.prepare('SELECT lib_id, lib_version, status, created_at, previous_lib_id FROM library_specs WHERE lib_id = ?');
  let first = get.get(libId) as SqlRow | undefined;
  const seen = new Set<string>();
  while (first?.previous_lib_id && !seen.has(String(first.previous_lib_id))) {
    seen.add(String(first.lib_id));
    first = get.get(first.previous_lib_id) as SqlRow | undefined;
  }
  const line: SqlRow[] = [];
  for (let row = first; row && line.length < 10_000; ) {
    line.push(row);
    const next = successorOf(db, String(row.lib_id));
    row = next === undefined ? undefined : (get.get(next) as SqlRow | undefined);
  }
  return line.map(({ previous_lib_id: _p, ...r }) => r);
}

/** Rows of a child table whose parent column is one of `parents`, in the order they were added. */
export function childRows(db: Db, table: ChildTable, parents: readonly string[]): SqlRow[] {
  if (parents.length === 0) return [];
  const def = CHILD_DEFS[table];
  const unique = [...new Set([def.idColumn, def.parentColumn, ...def.fields.map((f) => f.name)])];
  const placeholders = parents.map(() => '?').join(', ');
  return db
    .prepare(`SELECT ${unique.join(', ')} FROM ${def.sqlTable} WHERE ${def.parentColumn} IN (${placeholders}) ORDER BY rowid`)
    .all(...parents) as SqlRow[];
}

export function childRow(db: Db, table: ChildTable, id: string | number): SqlRow | undefined {
  const def = CHILD_DEFS[table];
  return db.prepare(`SELECT * FROM ${def.sqlTable} WHERE ${def.idColumn} = ?`).get(id) as SqlRow | undefined;
}

/** The spec a child row belongs to (through its construct and fragment), or undefined. */
export function ownerOf(db: Db, table: ChildTable, id: string | number): string | undefined {
  const sql: Record<ChildTable, string> = {
    constructs: 'SELECT lib_id FROM lib_constructs WHERE construct_id = ?',
    fragments: 'SELECT c.lib_id FROM lib_fragments f JOIN lib_constructs c USING (construct_id) WHERE f.fragment_id = ?',
    modifications:
      'SELECT c.lib_id FROM lib_modifications m JOIN lib_fragments f USING (fragment_id) JOIN lib_constructs c USING (construct_id) WHERE m.mod_id = ?',
    barcodes: 'SELECT lib_id FROM lib_barcodes WHERE barcode_id = ?',
    sample_prep: 'SELECT lib_id FROM lib_sample_prep WHERE prep_id = ?',
    qc_thresholds: 'SELECT lib_id FROM lib_qc_thresholds WHERE lib_id = ?',
    custom_fields: 'SELECT lib_id FROM lib_custom_fields WHERE id = ?',
  };
  return db.prepare(sql[table]).pluck().get(id) as string | undefined;
}

export function insertRow(db: Db, sqlTable: string, row: SqlRow): number {
  const names = Object.keys(row);
  const result = db
    .prepare(`INSERT INTO ${sqlTable} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`)
    .run(...names.map((n) => row[n] ?? null));
  return Number(result.lastInsertRowid);
}

export function updateRow(db: Db, sqlTable: string, idColumn: string, id: string | number, changes: SqlRow): void {
  const names = Object.keys(changes);
  if (names.length === 0) return;
  db.prepare(`UPDATE ${sqlTable} SET ${names.map((n) => `${n} = ?`).join(', ')} WHERE ${idColumn} = ?`).run(...names.map((n) => changes[n] ?? null), id);
}

/** Deletes a child row and everything under it (a construct's fragments and their modifications). */
export function deleteChild(db: Db, table: ChildTable, id: string | number): void {
  if (table === 'constructs') {
    for (const f of db.prepare('SELECT fragment_id FROM lib_fragments WHERE construct_id = ?').pluck().all(id) as string[]) deleteChild(db, 'fragments', f);
  }
  if (table === 'fragments') db.prepare('DELETE FROM lib_modifications WHERE fragment_id = ?').run(id);
  const def = CHILD_DEFS[table];
  db.prepare(`DELETE FROM ${def.sqlTable} WHERE ${def.idColumn} = ?`).run(id);
}

/** Deletes a spec and all its rows (its experiment links included). */
export function deleteSpec(db: Db, libId: string): void {
  for (const c of db.prepare('SELECT construct_id FROM lib_constructs WHERE lib_id = ?').pluck().all(libId) as string[]) deleteChild(db, 'constructs', c);
  for (const table of ['lib_barcodes', 'lib_sample_prep', 'lib_qc_thresholds', 'lib_custom_fields', 'lib_experiment_link']) {
    db.prepare(`DELETE FROM ${table} WHERE lib_id = ?`).run(libId);
  }
  db.prepare('DELETE FROM library_specs WHERE lib_id = ?').run(libId);
}

export function experimentLinks(db: Db, libId: string): LibRow[] {
  return db
    .prepare(
      `SELECT l.exp_id, l.relationship, l.run_purpose, l.notes, e.sample_id, e.flow_cell_id, e.started
         FROM lib_experiment_link l LEFT JOIN experiments e USING (exp_id)
        WHERE l.lib_id = ? ORDER BY l.rowid`,
    )
    .all(libId) as LibRow[];
}

export function lookupHas(db: Db, table: string, column: string, value: SqlValue): boolean {
  return db.prepare(`SELECT 1 FROM "${table}" WHERE "${column}" = ?`).get(value) !== undefined;
}

export function lookupKeys(db: Db, table: string, column: string): string[] {
  return (db.prepare(`SELECT "${column}" FROM "${table}" ORDER BY rowid`).pluck().all() as SqlValue[]).map(String);
}
