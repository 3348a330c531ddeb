import type Database from 'better-sqlite3';
import { ApiError } from '../../shared/errors';
import { describeIssues } from '../../shared/format';
import type { JobInfo } from '../../shared/schemas/jobs';
import {
  RUN_STATUSES,
  RunParams,
  type ParamValue,
  type RunInput,
  type RunSummary,
} from '../../shared/schemas/runs';
import { jobInfoFromRow, type JobRow } from '../jobs/rows';

type Db = Database.Database;
type StepParamsT = Record<string, ParamValue>;

// ------------------------------------------------------------------
// Seed 001's explicit columns on `runs`, kept in step with run_params
// ------------------------------------------------------------------

interface SeedColumn {
  step: string;
  name: string;
  column: string;
  /** The column's default in 0003 (seed 001), written back when the parameter is removed. */
  fallback: string | number | null;
}

/** Which step parameter also lives in which seed 001 column of `runs` (so `WHERE genome = 'hg38'` works). */
export const SEED_COLUMNS: readonly SeedColumn[] = [
  ...(['r1', 'r2'] as const).flatMap((r) => [
    { step: 'cutadapt', name: `${r}_seq`, column: `${r}_seq`, fallback: null },
    { step: 'cutadapt', name: `${r}_error_rate`, column: `${r}_error_rate`, fallback: r === 'r1' ? 0.3 : 0.1 },
    { step: 'cutadapt', name: `${r}_trim_leading_trailing`, column: `${r}_trim_leading_trailing`, fallback: 0 },
    { step: 'cutadapt', name: `${r}_anchored`, column: `${r}_anchored`, fallback: 0 },
    { step: 'cutadapt', name: `${r}_min_overlap`, column: `${r}_min_overlap`, fallback: r === 'r1' ? 5 : 10 },
    { step: 'cutadapt', name: `${r}_pair_filter`, column: `${r}_pair_filter`, fallback: 'both' },
    { step: 'cutadapt', name: `${r}_minimum_length_of_read`, column: `${r}_minimum_length_of_read`, fallback: 30 },
  ]),
  { step: 'read_mapping', name: 'genome', column: 'genome', fallback: null },
  { step: 'read_mapping', name: 'genome_tar_url', column: 'genome_tar_url', fallback: null },
  { step: 'site_analysis', name: 'promoter_left', column: 'promoter_left', fallback: 5000 },
  { step: 'site_analysis', name: 'promoter_right', column: 'promoter_right', fallback: 2000 },
  { step: 'site_analysis', name: 'enhancer_left', column: 'enhancer_left', fallback: 50000 },
  { step: 'qc', name: 'qc_stage', column: 'qc_stage', fallback: 'before' },
];

function columnValue(v: ParamValue): string | number | null {
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

// ------------------------------------------------------------------
// Parameters: one row per (run, step, name), value as text + its type
// ------------------------------------------------------------------

type ValueType = 'string' | 'number' | 'boolean' | 'null';

export function encodeParam(v: ParamValue): { value: string | null; type: ValueType } {
  if (v === null) return { value: null, type: 'null' };
  if (typeof v === 'boolean') return { value: v ? 'true' : 'false', type: 'boolean' };
  if (typeof v === 'number') return { value: Object.is(v, -0) ? '-0' : String(v), type: 'number' };
  return { value: v, type: 'string' };
}

export function decodeParam(value: string | null, type: string): ParamValue {
  switch (type) {
    case 'null':
      return null;
    case 'boolean':
      return value === 'true';
    case 'number':
      return Number(value);
    default:
      return value ?? '';
  }
}

function checkedStepParams(step: string, params: unknown): StepParamsT {
  const parsed = RunParams.safeParse({ [step]: params });
  if (!parsed.success) throw new ApiError('invalid_request', `Parameters of step ${step}: ${describeIssues(parsed.error.issues)}`);
  return parsed.data[step] ?? {};
}

/** Writes a step's parameters (rows, and the seed columns it has); no transaction of its own. */
function writeStepParams(db: Db, runId: string, step: string, params: StepParamsT): void {
  db.prepare('DELETE FROM run_params WHERE run_id = ? AND step = ?').run(runId, step);
  const insert = db.prepare('INSERT INTO run_params (run_id, step, name, value, value_type) VALUES (?, ?, ?, ?, ?)');
  for (const [name, v] of Object.entries(params)) {
    const { value, type } = encodeParam(v);
    insert.run(runId, step, name, value, type);
  }
  for (const c of SEED_COLUMNS) {
    if (c.step !== step) continue;
    const v = Object.hasOwn(params, c.name) ? columnValue(params[c.name] ?? null) : c.fallback;
    // Column names come from the constant table above, never from a request.
    db.prepare(`UPDATE runs SET ${c.column} = ? WHERE id = ?`).run(v, runId);
  }
}

export function assertRunExists(db: Db, runId: string): void {
  if (db.prepare('SELECT 1 FROM runs WHERE id = ?').get(runId) === undefined) {
    throw new ApiError('not_found', `There is no run ${JSON.stringify(runId)}.`);
  }
}

/** Replaces one step's parameters of a run. */
export function setStepParams(db: Db, runId: string, step: string, params: Record<string, ParamValue>): void {
  const checked = checkedStepParams(step, params);
  db.transaction(() => {
    assertRunExists(db, runId);
    writeStepParams(db, runId, step, checked);
    db.prepare("UPDATE runs SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?").run(runId);
  }).immediate();
}

export function getStepParams(db: Db, runId: string, step: string): StepParamsT {
  const rows = db
    .prepare('SELECT name, value, value_type AS type FROM run_params WHERE run_id = ? AND step = ? ORDER BY name')
    .all(runId, step) as { name: string; value: string | null; type: string }[];
  const out: StepParamsT = {};
  for (const r of rows) out[r.name] = decodeParam(r.value, r.type);
  return out;
}

export function getRunParams(db: Db, runId: string): RunParams {
  const rows = db
    .prepare('SELECT step, name, value, value_type AS type FROM run_params WHERE run_id = ? ORDER BY step, name')
    .all(runId) as { step: string; name: string; value: string | null; type: string }[];
  const out: RunParams = {};
  for (const r of rows) (out[r.step] ??= {})[r.name] = decodeParam(r.value, r.type);
  return out;
}

// ------------------------------------------------------------------
// Runs
// ------------------------------------------------------------------

export interface NewRun {
  id: string;
  name: string;
  description: string | null;
  createdBy: string | null;
  pipeline: string | null;
}

/** Inserts a run with its inputs and parameters, all or nothing; `after` runs inside the transaction (audit). */
export function insertRun(db: Db, run: NewRun, inputs: readonly RunInput[], params: RunParams, after?: () => void): void {
  const checked = RunParams.safeParse(params);
  if (!checked.success) throw new ApiError('invalid_request', `params: ${describeIssues(checked.error.issues)}`);
  db.transaction(() => {
    const now = new Date().toISOString();
    db.prepare(
      `INSERT INTO runs (id, name, description, status, current_step, created_at, updated_at, created_by, pipeline)
       VALUES (?, ?, ?, 'pending', NULL, ?, ?, ?, ?)`,
    ).run(run.id, run.name, run.description, now, now, run.createdBy, run.pipeline);
    const insert = db.prepare(
      `INSERT INTO run_inputs (run_id, role, name, path, bytes, sha256, mode, original_path, added_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const i of inputs) insert.run(run.id, i.role, i.name, i.path, i.bytes, i.sha256, i.mode, i.originalPath, now);
    for (const [step, stepParams] of Object.entries(checked.data)) writeStepParams(db, run.id, step, stepParams);
    after?.();
  }).immediate();
}

const SUMMARY_COLUMNS = `
  r.id AS id, coalesce(r.name, r.id) AS name, r.description AS description, r.created_by AS createdBy,
  r.pipeline AS pipeline, r.status AS status, r.current_step AS currentStep,
  coalesce(r.created_at, '') AS createdAt, coalesce(r.updated_at, r.created_at, '') AS updatedAt,
  (SELECT COUNT(*) FROM run_inputs i WHERE i.run_id = r.id) AS inputCount,
  (SELECT COUNT(*) FROM jobs j WHERE j.run_id = r.id) AS jobCount,
  r.cleaned_at AS cleanedAt`;

export function getRunSummary(db: Db, runId: string): RunSummary {
  const row = db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM runs r WHERE r.id = ?`).get(runId) as RunSummary | undefined;
  if (!row) throw new ApiError('not_found', `There is no run ${JSON.stringify(runId)}.`);
  return row;
}

export interface RunFilter {
  /** Matches name, description, created_by or id, case-insensitively. */
  search?: string | undefined;
  status?: string | undefined;
  pipeline?: string | undefined;
  /** Default 100, at most 1000. */
  limit?: number | undefined;
  offset?: number | undefined;
}

export const LIST_LIMIT_DEFAULT = 100;
export const LIST_LIMIT_MAX = 1000;

/** `%`, `_` and the escape character itself match literally (used with ESCAPE '\'). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function listRunSummaries(db: Db, filter: RunFilter = {}): { runs: RunSummary[]; total: number } {
  const where: string[] = [];
  const args: (string | number)[] = [];
  const search = filter.search?.trim();
  if (search) {
    const pattern = `%${escapeLike(search)}%`;
    where.push(
      "(r.name LIKE ? ESCAPE '\\' OR r.description LIKE ? ESCAPE '\\' OR r.created_by LIKE ? ESCAPE '\\' OR r.id LIKE ? ESCAPE '\\')",
    );
    args.push(pattern, pattern, pattern, pattern);
  }
  if (filter.status) {
    where.push('r.status = ?');
    args.push(filter.status);
  }
  if (filter.pipeline) {
    where.push('r.pipeline = ?');
    args.push(filter.pipeline);
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const limit = Math.min(Math.max(Math.trunc(filter.limit ?? LIST_LIMIT_DEFAULT), 1), LIST_LIMIT_MAX);
  const offset = Math.max(Math.trunc(filter.offset ?? 0), 0);
  const total = db.prepare(`SELECT COUNT(*) FROM runs r ${clause}`).pluck().get(...args) as number;
  const runs = db
    .prepare(`SELECT ${SUMMARY_COLUMNS} FROM runs r ${clause} ORDER BY r.created_at DESC, r.rowid DESC LIMIT ? OFFSET ?`)
    .all(...args, limit, offset) as RunSummary[];
  return { runs, total };
}

export function getRunInputs(db: Db, runId: string): RunInput[] {
  return db
    .prepare(
      `SELECT role, name, path, bytes, sha256, mode, original_path AS originalPath
         FROM run_inputs WHERE run_id = ? ORDER BY role`,
    )
    .all(runId) as RunInput[];
}



/** Every attempt of every step of a run, straight from the jobs table (progress is the job runner's, live). */
export function getRunJobs(db: Db, runId: string): JobInfo[] {
  const rows = db.prepare('SELECT * FROM jobs WHERE run_id = ? ORDER BY id').all(runId) as JobRow[];
  return rows.map((r) => jobInfoFromRow(r));
}

/** Jobs of the run that are queued or running: while there are any, its files may not go. */
export function activeJobCount(db: Db, runId: string): number {
  return db.prepare("SELECT COUNT(*) FROM jobs WHERE run_id = ? AND status IN ('pending', 'starting', 'running')").pluck().get(runId) as number;
}

export type RunStatus = (typeof RUN_STATUSES)[number];

/** The seed's `status` and `current_step` of a run. */
export function setRunState(db: Db, runId: string, state: { status: RunStatus | string; currentStep: string | null }): void {
  if (!(RUN_STATUSES as readonly string[]).includes(state.status)) {
    throw new ApiError('invalid_request', `${JSON.stringify(state.status)} is not a run status (${RUN_STATUSES.join(', ')}).`);
  }
  const result = db
    .prepare("UPDATE runs SET status = ?, current_step = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?")
    .run(state.status, state.currentStep, runId);
  if (result.changes === 0) throw new ApiError('not_found', `There is no run ${JSON.stringify(runId)}.`);
}

export function markCleaned(db: Db, runId: string): string {
  const now = new Date().toISOString();
  db.prepare('UPDATE runs SET cleaned_at = ?, updated_at = ? WHERE id = ?').run(now, now, runId);
  return now;
}

export function deleteRunRows(db: Db, runId: string): void {
  db.prepare('DELETE FROM runs WHERE id = ?').run(runId);
}
