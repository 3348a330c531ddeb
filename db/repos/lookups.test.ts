import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/errors';
import { LOOKUP_TABLES, LookupTableInfo, type LookupRow, type LookupTable } from '../../shared/schemas/lookups';
import { count, scratch } from '../testing';
import { addLookupRow, listLookupRows, listLookupTables } from './lookups';

const { central } = scratch();

function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe('listLookupTables', () => {
  it('describes the 12 tables: label, columns from the schema, row counts', () => {
    const tables = listLookupTables(central());
    expect(tables.map((t) => t.table)).toEqual([...LOOKUP_TABLES]);
    for (const t of tables) LookupTableInfo.parse(t);
    const flowCells = tables.find((t) => t.table === 'lk_flow_cells');
    expect(flowCells).toEqual({
      table: 'lk_flow_cells',
      label: 'Flow cells',
      rows: 4,
      columns: [
        { name: 'flow_cell_type', type: 'TEXT', primaryKey: true },
        { name: 'pore_type', type: 'TEXT', primaryKey: false },
        { name: 'device', type: 'TEXT', primaryKey: false },
        { name: 'pore_count', type: 'INTEGER', primaryKey: false },
        { name: 'description', type: 'TEXT', primaryKey: false },
      ],
    });
    expect(tables.find((t) => t.table === 'lk_pore_types')?.label).toBe('Pore types');
    expect(tables.find((t) => t.table === 'lk_end_reasons')?.rows).toBe(10);
    expect(tables.find((t) => t.table === 'lk_modifications')?.columns[0])
      .toEqual({ name: 'mod_code', type: 'INTEGER', primaryKey: true });
  });
});

describe('listLookupRows', () => {
  it('lists rows in rowid order', () => {
    const rows = listLookupRows(central(), 'lk_pore_types');
    expect(rows).toEqual([
      { pore_type: 'R9.4.1', description: 'Legacy pore, good accuracy', release_year: 2017, is_current: 0 },
      { pore_type: 'R10.4.1', description: 'Current high-accuracy pore', release_year: 2022, is_current: 1 },
      { pore_type: 'R10.4.2', description: 'Latest iteration', release_year: 2024, is_current: 1 },
    ]);
  });
});

describe('addLookupRow', () => {
  it('adds a kit and returns it as stored, defaults included', () => {
    const db = central();
    const row = addLookupRow(db, 'lk_sequencing_kits', {
      kit_id: 'SQK-NBD114.192', kit_name: 'Native Barcoding Kit 192', barcode_count: 192, pore_compat: null,
    });
    expect(row).toEqual({
      kit_id: 'SQK-NBD114.192', kit_name: 'Native Barcoding Kit 192', kit_type: null, barcoding: 0,
      barcode_count: 192, pore_compat: null, description: null,
    });
    expect(listLookupRows(db, 'lk_sequencing_kits').at(-1)).toEqual(row);
    expect(count(db, 'lk_sequencing_kits')).toBe(8);
  });

  it('accepts an INTEGER primary key, 0 included as a value', () => {
    const db = central();
    expect(addLookupRow(db, 'lk_modifications', { mod_code: 32, mod_type: '5hmC', mod_name: null }))
      .toMatchObject({ mod_code: 32, mod_type: '5hmC' });
  });

  it('refuses an existing key as a conflict naming table and key', () => {
    const db = central();
    const error = apiError(() => addLookupRow(db, 'lk_sequencing_kits', { kit_id: 'SQK-LSK114', kit_name: 'again' }));
    expect(error.code).toBe('conflict');
    expect(error.message).toContain('lk_sequencing_kits');
    expect(error.message).toContain('SQK-LSK114');
    expect(db.prepare("SELECT kit_name FROM lk_sequencing_kits WHERE kit_id = 'SQK-LSK114'").pluck().get())
      .toBe('Ligation Sequencing Kit V14');
  });

  it('refuses an unknown field, naming it and the table', () => {
    const error = apiError(() => addLookupRow(central(), 'lk_pore_types', { pore_type: 'R11', colour: 'blue' }));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('"colour"');
    expect(error.message).toContain('lk_pore_types');
  });

  it('refuses text in a number column, naming the field', () => {
    const db = central();
    for (const [table, row, field] of [
      ['lk_flow_cells', { flow_cell_type: 'FLO-X', pore_count: '2048' }, 'pore_count'],
      ['lk_pore_types', { pore_type: 'R11', release_year: 2025.5 }, 'release_year'],
      ['lk_modifications', { mod_code: '64' }, 'mod_code'],
    ] as [LookupTable, LookupRow, string][]) {
      const error = apiError(() => addLookupRow(db, table, row));
      expect(error.code).toBe('invalid_request');
      expect(error.message).toContain(field);
    }
    expect(count(db, 'lk_flow_cells')).toBe(4);
  });

  it('requires a non-empty primary key', () => {
    const db = central();
    for (const row of [{ description: 'no key' }, { purpose: '  ' }, { purpose: null }] as LookupRow[]) {
      const error = apiError(() => addLookupRow(db, 'lk_run_purposes', row));
      expect(error.code).toBe('invalid_request');
      expect(error.message).toContain('purpose');
    }
    expect(count(db, 'lk_run_purposes')).toBe(5);
  });

  it('never lets a table name other than the 12 reach SQL', () => {
    const db = central();
    const hostile = 'lk_pore_types" (pore_type) VALUES (1); DROP TABLE experiments; --' as LookupTable;
    for (const call of [
      () => addLookupRow(db, hostile, { pore_type: 'x' }),
      () => listLookupRows(db, hostile),
      // @ts-expect-error only the 12 lookup tables are accepted
      () => listLookupRows(db, 'experiments'),
    ]) {
      expect(apiError(call).code).toBe('invalid_request');
    }
    expect(count(db, 'experiments')).toBe(0);
  });
});
