import type Database from 'better-sqlite3';
import type { DbInventory, TableCount } from '../../shared/schemas/workspace';
import { schemaVersion } from '../migrate';

const CORE_TABLES = new Set(['experiments', 'experiment_warnings', 'basecall_runs', 'references']);
const ANALYSIS_TABLES = new Set(['runs', 'jobs', 'run_inputs', 'run_params']);

function tableKind(name: string): TableCount['kind'] {
  if (CORE_TABLES.has(name)) return 'core';
  if (name === 'library_specs' || name.startsWith('lib_')) return 'library';
  if (name.startsWith('lk_')) return 'lookup';
  if (ANALYSIS_TABLES.has(name)) return 'analysis';
  return 'system';
}

/** Every user table of the database, in the order the schema created them, with its row count. */
export function inventory(db: Database.Database, file: string): DbInventory {
  const names = db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid",
    )
    .pluck()
    .all() as string[];
  const tables = names.map((name) => ({
    name,
    kind: tableKind(name),
    rows: db.prepare(`SELECT COUNT(*) FROM "${name.replaceAll('"', '""')}"`).pluck().get() as number,
  }));
  // Indexes SQLite makes for PRIMARY KEY and UNIQUE have no SQL.
  const indexes = db
    .prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
    .pluck()
    .get() as number;
  return { path: file, schemaVersion: schemaVersion(db), tables, indexes };
}
