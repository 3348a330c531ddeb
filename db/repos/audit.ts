import type Database from 'better-sqlite3';

export interface AuditEntry {
  actor?: string;
  action: string;
  entityType?: string;
  entityId?: string;
  /** Stored as JSON. */
  details?: unknown;
}

/** Appends to the audit trail; returns the entry's id. */
export function recordAudit(db: Database.Database, entry: AuditEntry): number {
  const result = db
    .prepare(
      'INSERT INTO audit_log (actor, action, entity_type, entity_id, details) VALUES (?, ?, ?, ?, ?)',
    )
    .run(
      entry.actor ?? null,
      entry.action,
      entry.entityType ?? null,
      entry.entityId ?? null,
      entry.details === undefined ? null : JSON.stringify(entry.details),
    );
  return Number(result.lastInsertRowid);
}
