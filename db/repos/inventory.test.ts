import { describe, expect, it } from 'vitest';
import { DbInventory } from '../../shared/schemas/workspace';
import { scratch } from '../testing';
import { inventory } from './inventory';

const { central } = scratch();

describe('inventory', () => {
  it('lists every user table with its kind and row count', () => {
    const db = central();
    db.prepare("INSERT INTO experiments (exp_id) VALUES ('e1'), ('e2')").run();
    db.prepare("INSERT INTO \"references\" (ref_id) VALUES ('ref1')").run();
    db.prepare("INSERT INTO runs (id) VALUES ('r1')").run();
    db.prepare("INSERT INTO jobs (run_id, step_name, attempt) VALUES ('r1', 'qc', 1)").run();

    const result = DbInventory.parse(inventory(db, '/ws/benchtop.db'));
    expect(result.path).toBe('/ws/benchtop.db');
    expect(result.schemaVersion).toBe(9);
    expect(result.indexes).toBe(16);
    expect(result.tables).toHaveLength(32);
    expect(result.tables.some((t) => t.name.startsWith('sqlite_'))).toBe(false);
    const byName = Object.fromEntries(result.tables.map((t) => [t.name, t]));
    expect(byName.experiments).toEqual({ name: 'experiments', kind: 'core', rows: 2 });
    expect(byName.references).toEqual({ name: 'references', kind: 'core', rows: 1 });
    expect(byName.basecall_runs).toEqual({ name: 'basecall_runs', kind: 'core', rows: 0 });
    expect(byName.library_specs?.kind).toBe('library');
    expect(byName.lib_barcodes?.kind).toBe('library');
    expect(byName.lk_end_reasons).toEqual({ name: 'lk_end_reasons', kind: 'lookup', rows: 10 });
    expect(byName.runs).toEqual({ name: 'runs', kind: 'analysis', rows: 1 });
    expect(byName.jobs).toEqual({ name: 'jobs', kind: 'analysis', rows: 1 });
    expect(byName.audit_log).toEqual({ name: 'audit_log', kind: 'system', rows: 0 });
    const kinds = result.tables.reduce<Record<string, number>>((acc, t) => ({ ...acc, [t.kind]: (acc[t.kind] ?? 0) + 1 }), {});
    expect(kinds).toEqual({ core: 4, library: 9, lookup: 12, analysis: 4, system: 3 });
  });
});
