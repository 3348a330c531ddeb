-- The audit trail the database keeps itself: triggers (generated from the schema by db/audit/triggers.ts
-- after every migration) write one row per inserted, updated or deleted row of every central table.

-- Who is changing the database. Benchtop never writes this row: it keeps its own actor and operation
-- on its connection (db/audit/session.ts), so a change made while this row is NULL came from another
-- program, typically the sqlite3 shell. A shell user may name themselves here before their changes.
CREATE TABLE audit_context (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    actor TEXT,
    operation TEXT
);
INSERT INTO audit_context (id, actor, operation) VALUES (1, NULL, NULL);

-- No foreign keys: deleting a run must never delete what was done to it.
CREATE TABLE audit_changes (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    actor TEXT NOT NULL,
    operation TEXT,
    table_name TEXT NOT NULL,
    -- the row's primary key: the value itself, a JSON array for a composite key, else the rowid
    row_key TEXT,
    change TEXT NOT NULL CHECK (change IN ('insert', 'update', 'delete')),
    -- JSON objects: the whole row for insert and delete, only the changed columns for update
    old_values TEXT,
    new_values TEXT
);

CREATE INDEX idx_audit_changes_at ON audit_changes(at);
CREATE INDEX idx_audit_changes_row ON audit_changes(table_name, row_key);
CREATE INDEX idx_audit_log_at ON audit_log(at);
