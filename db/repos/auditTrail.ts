import type Database from 'better-sqlite3';
import { withoutSessionStamp } from '../audit/session';
import { auditedTables } from '../audit/triggers';

export interface AuditFilter {
  kind: 'all' | 'changes' | 'actions';
  table?: string | undefined;
  actor?: string | undefined;
  operation?: string | undefined;
  /** YYYY-MM-DD, both days included. */
  from?: string | undefined;
  to?: string | undefined;
  text?: string | undefined;
  limit: number;
  before?: AuditCursor | undefined;
}

export interface AuditCursor {
  at: string;
  kind: 'change' | 'action';
  id: number;
}

export interface AuditTrailRow {
  kind: 'change' | 'action';
  id: number;
  at: string;
  actor: string | null;
  operation: string | null;
  subject: string | null;
  key: string | null;
  change: 'insert' | 'update' | 'delete' | null;
  oldValues: Record<string, unknown> | null;
  newValues: Record<string, unknown> | null;
  details: unknown;
}

function like(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Newest first: `at`, then changes after actions of the same instant (rank), then id. */
const RANK = { action: 0, change: 1 } as const;

interface Branch {
  kind: 'change' | 'action';
  from: string;
  select: string;
  columns: { operation: string; subject: string; text: string[] };
}

const BRANCHES: Branch[] = [
  {
    kind: 'change',
    from: 'audit_changes',
    select: "'change' AS kind, 1 AS rank, id, at, actor, operation, table_name AS subject, row_key AS key, change, old_values, new_values, NULL AS details",
    columns: { operation: 'operation', subject: 'table_name', text: ['old_values', 'new_values', 'row_key', 'table_name'] },
  },
  {
    kind: 'action',
    from: 'audit_log',
    select: "'action' AS kind, 0 AS rank, id, at, actor, action AS operation, entity_type AS subject, entity_id AS key, NULL AS change, NULL AS old_values, NULL AS new_values, details",
    columns: { operation: 'action', subject: 'entity_type', text: ['details', 'entity_id', 'entity_type', 'action'] },
  },
];

function branchSql(b: Branch, f: AuditFilter, params: unknown[]): string {
  const where: string[] = [];
  if (f.table !== undefined && b.kind === 'change') {
    where.push(`${b.columns.subject} = ?`);
    params.push(f.table);
  }
  if (f.actor) {
    where.push("actor LIKE ? ESCAPE '\\'");
    params.push(like(f.actor));
  }
  if (f.operation) {
    where.push(`${b.columns.operation} = ?`);
    params.push(f.operation);
  }
  if (f.from) {
    where.push('at >= ?');
    params.push(f.from);
  }
  if (f.to) {
    where.push("at < date(?, '+1 day')");
    params.push(f.to);
  }
  if (f.text) {
    where.push(`(${b.columns.text.map((c) => `${c} LIKE ? ESCAPE '\\'`).join(' OR ')})`);
    for (let i = 0; i < b.columns.text.length; i++) params.push(like(f.text));
  }
  if (f.before) {
    // Keyset paging: strictly after the previous page's last entry in (at, rank, id) descending order.
    const rank = RANK[b.kind];
    const beforeRank = RANK[f.before.kind];
    where.push(`(at < ? OR (at = ? AND (${rank} < ${beforeRank} OR (${rank} = ${beforeRank} AND id < ?))))`);
    params.push(f.before.at, f.before.at, f.before.id);
  }
  return `SELECT * FROM (SELECT ${b.select} FROM ${b.from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, id DESC LIMIT ${f.limit + 1})`;
}

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** One page of the audit trail, newest first; each branch reads at most a page through its `at` index. */
export function listAuditTrail(db: Database.Database, f: AuditFilter): { entries: AuditTrailRow[]; next: AuditCursor | null } {
  const branches = BRANCHES.filter((b) => {
    if (f.kind === 'changes') return b.kind === 'change';
    if (f.kind === 'actions') return b.kind === 'action';
    // A table names rows of the database: Benchtop's actions are about runs, specs …, not tables.
    return f.table === undefined || b.kind === 'change';
  });
  const params: unknown[] = [];
  const sql = `${branches.map((b) => branchSql(b, f, params)).join(' UNION ALL ')} ORDER BY at DESC, rank DESC, id DESC LIMIT ${f.limit + 1}`;
  const rows = db.prepare(sql).all(...params) as Record<string, unknown>[];
  const entries = rows.slice(0, f.limit).map((r) => ({
    kind: r.kind as AuditTrailRow['kind'],
    id: r.id as number,
    at: r.at as string,
    actor: (r.actor as string | null) ?? null,
    operation: (r.operation as string | null) ?? null,
    subject: (r.subject as string | null) ?? null,
    key: r.key === null || r.key === undefined ? null : String(r.key),
    change: (r.change as AuditTrailRow['change']) ?? null,
    oldValues: parseJson(r.old_values) as Record<string, unknown> | null,
    newValues: parseJson(r.new_values) as Record<string, unknown> | null,
    details: parseJson(r.details),
  }));
  const last = entries.at(-1);
  return { entries, next: rows.length > f.limit && last ? { at: last.at, kind: last.kind, id: last.id } : null };
}

/** The tables whose rows the trail records (for the table filter). */
export function auditTrailTables(db: Database.Database): string[] {
  return auditedTables(db);
}

/**
 * After a restore: the audit rows of `previousFile` (the database as it was just before) newer than
 * the restored database's newest ones are appended, so what happened between the backup and the
 * restore stays on record. Their actors and operations are kept as they were.
 */
export function carryAuditTrailForward(db: Database.Database, previousFile: string): { changes: number; actions: number } {
  db.prepare('ATTACH DATABASE ? AS previous').run(previousFile);
  try {
    return withoutSessionStamp(db, () =>
      db.transaction(() => {
        const since = (table: string) => (db.prepare(`SELECT MAX(at) FROM main.${table}`).pluck().get() as string | null) ?? '';
        const changes = db
          .prepare(
            `INSERT INTO main.audit_changes (at, actor, operation, table_name, row_key, change, old_values, new_values)
             SELECT at, actor, operation, table_name, row_key, change, old_values, new_values FROM previous.audit_changes WHERE at > ? ORDER BY id`,
          )
          .run(since('audit_changes')).changes;
        const actions = db
          .prepare(
            `INSERT INTO main.audit_log (at, actor, action, entity_type, entity_id, details)
             SELECT at, actor, action, entity_type, entity_id, details FROM previous.audit_log WHERE at > ? ORDER BY id`,
          )
          .run(since('audit_log')).changes;
        return { changes, actions };
      })(),
    );
  } finally {
    db.prepare('DETACH DATABASE previous').run();
  }
}
