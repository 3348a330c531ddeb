import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { ApiError } from '../../shared/errors';
import type { LegacyMigration } from '../../shared/schemas/experiments';
import { recordAudit } from '../../db/repos/audit';
import { safeExpId } from './minknow';

/** The columns seed 000's bin/migrate_experiments.py reads from the legacy experiments table. */
const LEGACY_COLUMNS = ['id', 'experiment_path', 'unique_id', 'instrument', 'flow_cell_id', 'sample_id', 'protocol', 'started', 'pod5_files'];

interface LegacyRow {
  id: unknown;
  experiment_path: string | null;
  unique_id: string | null;
  instrument: string | null;
  flow_cell_id: string | null;
  sample_id: string | null;
  protocol: string | null;
  started: string | null;
  pod5_files: number | null;
}

function notLegacy(file: string, why: string): ApiError {
  return new ApiError('invalid_request', `${file} is not a legacy nanopore_experiments.db: ${why}.`);
}

function readLegacy(file: string): LegacyRow[] {
  if (!existsSync(file)) throw new ApiError('not_found', `There is no file ${file}.`);
  if (!statSync(file).isFile()) throw notLegacy(file, 'it is a folder');
  let src: Database.Database;
  try {
    src = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw notLegacy(file, (err as Error).message);
  }
  try {
    let columns: string[];
    try {
      columns = src.prepare("SELECT name FROM pragma_table_info('experiments')").pluck().all() as string[];
    } catch (err) {
      throw notLegacy(file, `it is not an SQLite database (${(err as Error).message})`);
    }
    if (columns.length === 0) throw notLegacy(file, 'it has no experiments table');
    const missing = LEGACY_COLUMNS.filter((c) => !columns.includes(c));
    if (missing.length > 0) throw notLegacy(file, `its experiments table lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
    // Seed 000: SELECT e.id, e.experiment_path, e.unique_id, …, e.pod5_files AS pod5_count FROM experiments e
    return src.prepare(`SELECT ${LEGACY_COLUMNS.join(', ')} FROM experiments ORDER BY id`).all() as LegacyRow[];
  } finally {
    src.close();
  }
}

function text(v: unknown): string | null {
  return v === null || v === undefined || v === '' ? null : String(v);
}

function count(file: string, row: LegacyRow): number | null {
  const v = row.pod5_files;
  if (v === null || v === undefined || (v as unknown) === '') return null;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new ApiError('invalid_request', `${file}, experiments row id ${String(row.id)}: pod5_files ${JSON.stringify(v)} is not a file count.`);
  return n;
}

/**
 * Seed 000's migration: exp_id = unique_id, else the folder name of experiment_path (made safe for
 * file names); pod5_dir = experiment_path; pod5_count = pod5_files. An experiment already here
 * (same exp_id, or same folder) is updated. All rows or none; with dryRun nothing is written.
 */
export function migrateLegacy(db: Database.Database, source: string, dryRun: boolean, actor: string): LegacyMigration {
  const file = resolve(source);
  const legacy = readLegacy(file);
  const byId = db.prepare('SELECT exp_id FROM experiments WHERE exp_id = ?').pluck();
  const byPath = db.prepare('SELECT exp_id FROM experiments WHERE experiment_path = ?').pluck();

  const plan = legacy.map((row) => {
    const path = text(row.experiment_path);
    const unique = text(row.unique_id);
    if (!unique && !path) throw new ApiError('invalid_request', `${file}, experiments row id ${String(row.id)}: neither unique_id nor experiment_path is set, so it has no experiment id.`);
    const wanted = safeExpId(unique ?? basename(path!));
    const samePath = path ? (byPath.get(path) as string | undefined) : undefined;
    return {
      expId: samePath ?? wanted,
      path,
      row,
      pod5Count: count(file, row),
    };
  });
  const seen = new Set<string>();
  const rows = plan.map((p) => {
    const exists = seen.has(p.expId) || byId.get(p.expId) !== undefined;
    seen.add(p.expId);
    return { expId: p.expId, experimentPath: p.path, sampleId: text(p.row.sample_id), action: exists ? ('update' as const) : ('add' as const) };
  });
  const added = rows.filter((r) => r.action === 'add').length;
  const result: LegacyMigration = { source: file, dryRun, found: legacy.length, rows, added, updated: rows.length - added };
  if (dryRun) return result;

  const upsert = db.prepare(
    `INSERT INTO experiments (exp_id, experiment_path, instrument, flow_cell_id, sample_id, protocol, started, pod5_count, pod5_dir, source)
     VALUES (@expId, @path, @instrument, @flowCellId, @sampleId, @protocol, @started, @pod5Count, @path, 'legacy')
     ON CONFLICT (exp_id) DO UPDATE SET
       experiment_path = excluded.experiment_path, instrument = excluded.instrument, flow_cell_id = excluded.flow_cell_id,
       sample_id = excluded.sample_id, protocol = excluded.protocol, started = excluded.started,
       pod5_count = excluded.pod5_count, pod5_dir = excluded.pod5_dir`,
  );
  db.transaction(() => {
    for (const p of plan) {
      try {
        upsert.run({
          expId: p.expId,
          path: p.path,
          instrument: text(p.row.instrument),
          flowCellId: text(p.row.flow_cell_id),
          sampleId: text(p.row.sample_id),
          protocol: text(p.row.protocol),
          started: text(p.row.started),
          pod5Count: p.pod5Count,
        });
      } catch (err) {
        throw new ApiError('conflict', `${file}, experiments row id ${String(p.row.id)} (${p.expId}): ${(err as Error).message}. Nothing was migrated.`);
      }
    }
    recordAudit(db, { actor, action: 'experiments.migrateLegacy', entityType: 'experiment', details: { source: file, added, updated: result.updated } });
  }).immediate();
  return result;
}
