import type Database from 'better-sqlite3';
import { ApiError } from '../../shared/errors';
import {
  LOOKUP_TABLES,
  type LookupRow,
  type LookupTable,
  type LookupTableInfo,
} from '../../shared/schemas/lookups';

const LABELS: Record<LookupTable, string> = {
  lk_pore_types: 'Pore types',
  lk_flow_cells: 'Flow cells',
  lk_sequencing_kits: 'Sequencing kits',
  lk_basecall_models: 'Basecall models',
  lk_modifications: 'Modifications',
  lk_construct_types: 'Construct types',
  lk_fragment_types: 'Fragment types',
  lk_end_reasons: 'End reasons',
  lk_extraction_methods: 'Extraction methods',
  lk_size_selection: 'Size selection methods',
  lk_library_status: 'Library statuses',
  lk_run_purposes: 'Run purposes',
};

type Column = LookupTableInfo['columns'][number];

/** Table names are interpolated into SQL: only the 12 known ones, whatever the caller's types said. */
function checkedTable(table: string): LookupTable {
  if (!(LOOKUP_TABLES as readonly string[]).includes(table)) {
    throw new ApiError('invalid_request', `${JSON.stringify(table)} is not a lookup table.`);
  }
  return table as LookupTable;
}

function columnType(declared: string): Column['type'] {
  const type = declared.toUpperCase();
  if (type.includes('INT')) return 'INTEGER';
  if (type === 'REAL' || type.includes('FLOA') || type.includes('DOUB')) return 'REAL';
  return 'TEXT';
}

function columnsOf(db: Database.Database, table: LookupTable): Column[] {
  const rows = db.prepare('SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid').all(table) as {
    name: string;
    type: string;
    pk: number;
  }[];
  return rows.map((c) => ({ name: c.name, type: columnType(c.type), primaryKey: c.pk > 0 }));
}

function primaryKeyOf(table: LookupTable, columns: Column[]): Column {
  const pk = columns.find((c) => c.primaryKey);
  if (!pk) throw new ApiError('internal', `${table} has no primary key.`);
  return pk;
}

export function listLookupTables(db: Database.Database): LookupTableInfo[] {
  return LOOKUP_TABLES.map((table) => ({
    table,
    label: LABELS[table],
    columns: columnsOf(db, table),
    rows: db.prepare(`SELECT COUNT(*) FROM "${table}"`).pluck().get() as number,
  }));
}

export function listLookupRows(db: Database.Database, table: LookupTable): LookupRow[] {
  const t = checkedTable(table);
  return db.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).all() as LookupRow[];
}

function checkValue(table: LookupTable, column: Column, value: unknown): void {
  // A number for a TEXT column is fine: SQLite stores it as text.
  const valid =
    value === null ||
    (column.type === 'TEXT' && (typeof value === 'string' || Number.isFinite(value))) ||
    (column.type === 'INTEGER' && Number.isInteger(value)) ||
    (column.type === 'REAL' && Number.isFinite(value));
  if (!valid) {
    const expected = { TEXT: 'text', INTEGER: 'a whole number', REAL: 'a number' }[column.type];
    throw new ApiError(
      'invalid_request',
      `${column.name} of ${table} must be ${expected}, not ${JSON.stringify(value)}.`,
    );
  }
}

/** Adds a row (a new kit, model …) and returns it as stored, defaults included. */
export function addLookupRow(db: Database.Database, table: LookupTable, row: LookupRow): LookupRow {
  const t = checkedTable(table);
  const columns = columnsOf(db, t);
  const byName = new Map(columns.map((c) => [c.name, c]));
  const entries = Object.entries(row);
  for (const [name, value] of entries) {
    const column = byName.get(name);
    if (!column) {
      throw new ApiError(
        'invalid_request',
        `Unknown field ${JSON.stringify(name)} for ${t} (its fields: ${columns.map((c) => c.name).join(', ')}).`,
      );
    }
    checkValue(t, column, value);
  }
  const pk = primaryKeyOf(t, columns);
  const key = row[pk.name];
  if (key === undefined || key === null || (typeof key === 'string' && key.trim() === '')) {
    throw new ApiError('invalid_request', `${pk.name} is required to add a row to ${t}.`);
  }

  // Column names were checked against the table's own, so they are safe to quote into SQL.
  const names = entries.map(([name]) => `"${name}"`).join(', ');
  const params = entries.map(() => '?').join(', ');
  try {
    db.prepare(`INSERT INTO "${t}" (${names}) VALUES (${params})`).run(...entries.map(([, v]) => v));
  } catch (error) {
    if ((error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
      throw new ApiError('conflict', `${t} already has ${pk.name} ${JSON.stringify(key)}.`);
    }
    throw error;
  }
  return db.prepare(`SELECT * FROM "${t}" WHERE "${pk.name}" = ?`).get(key) as LookupRow;
}
