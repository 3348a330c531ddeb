import { describe, expect, it } from 'vitest';
import { scratch } from '../testing';
import { recordAudit } from './audit';

const { central } = scratch();

describe('recordAudit', () => {
  it('appends an entry with a UTC timestamp and JSON details', () => {
    const db = central();
    const id = recordAudit(db, {
      actor: 'desktop', action: 'lookups.add', entityType: 'lk_sequencing_kits', entityId: 'SQK-X',
      details: { kit_id: 'SQK-X', barcode_count: 24 },
    });
    const minimal = recordAudit(db, { action: 'db.backup' });
    expect(minimal).toBe(id + 1);
    const rows = db.prepare('SELECT * FROM audit_log ORDER BY id').all() as Record<string, unknown>[];
    expect(rows[0]).toMatchObject({
      id, actor: 'desktop', action: 'lookups.add', entity_type: 'lk_sequencing_kits', entity_id: 'SQK-X',
    });
    expect(JSON.parse(rows[0]!.details as string)).toEqual({ kit_id: 'SQK-X', barcode_count: 24 });
    expect(rows[0]!.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(rows[1]).toMatchObject({ actor: null, action: 'db.backup', entity_type: null, details: null });
  });
});
