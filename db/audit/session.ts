import type Database from 'better-sqlite3';
import { userInfo } from 'node:os';

/**
 * Who Benchtop's own changes are from. The actor and operation live in a one-row TEMP table of the
 * connection, and a TEMP trigger stamps them onto each audit row this connection's triggers write.
 * Keeping them per connection (not in main.audit_context) means a sqlite3 shell change is never
 * credited to Benchtop because Benchtop happened to be open, costs no disk write per operation, and
 * works on a database opened read-only. Other programs see only main.audit_context.
 */
const STAMP_TRIGGER = `
  CREATE TEMP TRIGGER IF NOT EXISTS audit_session_stamp AFTER INSERT ON main.audit_changes BEGIN
    UPDATE audit_changes SET actor = (SELECT actor FROM audit_session), operation = (SELECT operation FROM audit_session) WHERE id = NEW.id;
  END;`;

export function attachAuditSession(db: Database.Database, actor: string): void {
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS audit_session (id INTEGER PRIMARY KEY CHECK (id = 1), actor TEXT NOT NULL, operation TEXT); ${STAMP_TRIGGER}`);
  db.prepare('INSERT INTO temp.audit_session (id, actor, operation) VALUES (1, ?, NULL) ON CONFLICT (id) DO UPDATE SET actor = excluded.actor').run(actor);
}

/** Runs `fn` with this connection's stamp off: for copying audit rows that keep their own actor. */
export function withoutSessionStamp<T>(db: Database.Database, fn: () => T): T {
  db.exec('DROP TRIGGER IF EXISTS temp.audit_session_stamp');
  try {
    return fn();
  } finally {
    db.exec(STAMP_TRIGGER);
  }
}

/** The operation this connection's changes belong to from now on (null: none, e.g. the job runner's own updates). */
export function setAuditOperation(db: Database.Database, operation: string | null): void {
  db.prepare('UPDATE temp.audit_session SET operation = ?').run(operation);
}

export function setAuditActor(db: Database.Database, actor: string): void {
  db.prepare('UPDATE temp.audit_session SET actor = ?').run(actor);
}

/** `alice (desktop)`: the user at the computer and the door Benchtop was used through. */
export function actorName(door: string): string {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    user = process.env.USER ?? process.env.LOGNAME ?? 'unknown user';
  }
  return `${user} (${door})`;
}

export function currentOperation(db: Database.Database): string | null {
  return (db.prepare('SELECT operation FROM temp.audit_session').pluck().get() as string | null | undefined) ?? null;
}
