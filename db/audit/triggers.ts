import type Database from 'better-sqlite3';

/**
 * The audit triggers, generated from the schema so that every table a future migration adds is
 * covered without anyone writing trigger SQL. Every trigger is named `audit_trail:<table>:<change>`.
 */

/** The audit's own tables are not audited: the trail of the trail would double every row. */
const NOT_AUDITED = new Set(['audit_log', 'audit_changes', 'audit_context']);
const PREFIX = 'audit_trail:';
/** json_object takes at most 127 arguments in a default SQLite build: two per column. */
const JSON_OBJECT_MAX_COLUMNS = 60;

const CHANGES = ['insert', 'update', 'delete'] as const;

interface Column {
  name: string;
  pk: number;
}

function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function text(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** The tables of the main schema that get triggers: ordinary tables, not SQLite's, virtual or shadow ones. */
export function auditedTables(db: Database.Database): string[] {
  const rows = db
    .prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
    .pluck()
    .all() as string[];
  return rows.filter((name) => !NOT_AUDITED.has(name));
}

function columns(db: Database.Database, table: string): Column[] {
  return db.prepare('SELECT name, pk FROM pragma_table_info(?) ORDER BY cid').all(table) as Column[];
}

/** The row's key: its primary key's value, a JSON array of a composite key's values, else the rowid. */
function rowKey(row: 'NEW' | 'OLD', cols: Column[]): string {
  const pk = cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
  if (pk.length === 0) return `${row}.rowid`;
  if (pk.length === 1) return `${row}.${ident(pk[0]!.name)}`;
  return `json_array(${pk.map((c) => `${row}.${ident(c.name)}`).join(', ')})`;
}

function rowJson(row: 'NEW' | 'OLD', cols: Column[]): string {
  if (cols.length <= JSON_OBJECT_MAX_COLUMNS) {
    return `json_object(${cols.map((c) => `${text(c.name)}, ${row}.${ident(c.name)}`).join(', ')})`;
  }
  return `(SELECT json_group_object(k, v) FROM (${cols.map((c, i) => (i === 0 ? `SELECT ${text(c.name)} AS k, ${row}.${ident(c.name)} AS v` : `SELECT ${text(c.name)}, ${row}.${ident(c.name)}`)).join(' UNION ALL ')}))`;
}

/** Whoever set audit_context (NULL: a program that is not Benchtop, e.g. the sqlite3 shell). */
const ACTOR = "COALESCE((SELECT actor FROM audit_context WHERE id = 1), 'sqlite3 shell')";
const OPERATION = '(SELECT operation FROM audit_context WHERE id = 1)';
const INSERT_INTO = 'INSERT INTO audit_changes (actor, operation, table_name, row_key, change, old_values, new_values)';

function triggerSql(table: string, change: (typeof CHANGES)[number], cols: Column[]): string {
  const name = ident(`${PREFIX}${table}:${change}`);
  const on = `AFTER ${change.toUpperCase()} ON ${ident(table)}`;
  const t = text(table);
  if (change === 'insert') {
    return `CREATE TRIGGER ${name} ${on} BEGIN ${INSERT_INTO} VALUES (${ACTOR}, ${OPERATION}, ${t}, ${rowKey('NEW', cols)}, 'insert', NULL, ${rowJson('NEW', cols)}); END`;
  }
  if (change === 'delete') {
    return `CREATE TRIGGER ${name} ${on} BEGIN ${INSERT_INTO} VALUES (${ACTOR}, ${OPERATION}, ${t}, ${rowKey('OLD', cols)}, 'delete', ${rowJson('OLD', cols)}, NULL); END`;
  }
  // Only when a value changed (IS NOT, so NULL to a value counts), and only the changed columns.
  const changed = cols.map((c) => `OLD.${ident(c.name)} IS NOT NEW.${ident(c.name)}`).join(' OR ');
  // A compound SELECT, not VALUES: SQLite names VALUES' columns unpredictably inside a trigger.
  const pairs = cols
    .map((c, i) => `SELECT ${text(c.name)}${i === 0 ? ' AS k' : ''}, OLD.${ident(c.name)}${i === 0 ? ' AS o' : ''}, NEW.${ident(c.name)}${i === 0 ? ' AS n' : ''}`)
    .join(' UNION ALL ');
  return (
    `CREATE TRIGGER ${name} ${on} WHEN ${changed} BEGIN ${INSERT_INTO} ` +
    `SELECT ${ACTOR}, ${OPERATION}, ${t}, ${rowKey('NEW', cols)}, 'update', json_group_object(c.k, c.o), json_group_object(c.k, c.n) ` +
    `FROM (${pairs}) AS c WHERE c.o IS NOT c.n; END`
  );
}

/** The audit triggers the schema calls for now, by name. */
export function expectedAuditTriggers(db: Database.Database): Map<string, string> {
  const expected = new Map<string, string>();
  for (const table of auditedTables(db)) {
    const cols = columns(db, table);
    for (const change of CHANGES) expected.set(`${PREFIX}${table}:${change}`, triggerSql(table, change, cols));
  }
  return expected;
}

function existingAuditTriggers(db: Database.Database): Map<string, string> {
  const rows = db
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND substr(name, 1, ?) = ?")
    .all(PREFIX.length, PREFIX) as { name: string; sql: string }[];
  return new Map(rows.map((r) => [r.name, r.sql]));
}

/** Drops every audit trigger, e.g. before migrations (a trigger naming a column stops DROP COLUMN). */
export function dropAuditTriggers(db: Database.Database): void {
  for (const name of existingAuditTriggers(db).keys()) db.exec(`DROP TRIGGER ${ident(name)}`);
}

/**
 * Makes the audit triggers match the schema: when one is missing, extra or stale (a column added by
 * a migration), all are dropped and created again in one transaction. Writes nothing when they match.
 */
export function ensureAuditTriggers(db: Database.Database): { recreated: boolean; triggers: number } {
  if (!hasAuditTables(db)) return { recreated: false, triggers: 0 };
  const expected = expectedAuditTriggers(db);
  const existing = existingAuditTriggers(db);
  const same = expected.size === existing.size && [...expected].every(([name, sql]) => existing.get(name) === sql);
  if (same) return { recreated: false, triggers: expected.size };
  db.transaction(() => {
    dropAuditTriggers(db);
    for (const sql of expected.values()) db.exec(sql);
  })();
  return { recreated: true, triggers: expected.size };
}

function hasAuditTables(db: Database.Database): boolean {
  return db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('audit_changes', 'audit_context')").pluck().get() === 2;
}
