import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { lstat, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { recordAudit } from '../../db/repos/audit';
import { ApiError } from '../../shared/errors';
import { describeIssues } from '../../shared/format';
import { CreateRunRequest, RunExport, type RunDetail, type RunInput, type RunParams } from '../../shared/schemas/runs';
import { APP_VERSION } from '../system/version';
import type { WorkspaceLayout } from '../workspace/layout';
import { checkSources, ingestInputs, type InputRequest } from './ingest';
import { isInside, partialRunDir, runDir } from './paths';
import {
  activeJobCount,
  deleteRunRows,
  getRunInputs,
  getRunJobs,
  getRunParams,
  getRunSummary,
  insertRun,
  listRunSummaries,
  markCleaned,
  type NewRun,
  type RunFilter,
} from './repo';

/** What the run services need of a workspace (a Workspace fits). */
export interface RunsWorkspace {
  layout: WorkspaceLayout;
  db: Database.Database;
}

/** Who does it, for the audit trail (the session's mode: desktop, serve, cli). */
export interface ActorOptions {
  actor?: string;
}

/** `what` leads the message (null: the caller names the source). */
function parse<T extends z.ZodType>(schema: T, value: unknown, what: string | null): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ApiError('invalid_request', `${what === null ? '' : `${what}: `}${describeIssues(parsed.error.issues)}`);
  return parsed.data;
}

export function getRun(ws: RunsWorkspace, id: string): RunDetail {
  const summary = getRunSummary(ws.db, id);
  return {
    ...summary,
    dir: runDir(ws.layout, id),
    inputs: getRunInputs(ws.db, id),
    params: getRunParams(ws.db, id),
    jobs: getRunJobs(ws.db, id),
  };
}

export function listRuns(ws: RunsWorkspace, filter: RunFilter = {}) {
  return listRunSummaries(ws.db, filter);
}

/**
 * Makes the run's folder, copies or links the inputs in (hashing them as streams), and inserts the
 * rows; there is never a half-created run. The order makes a crash at any point safe:
 *  1. the folder is filled under a temporary name (`partialRunDir`), invisible as a run;
 *  2. the rows are committed only once every input is copied and hashed;
 *  3. only then the folder takes its name `runs/<id>`.
 * Killed in 1, a temporary folder without rows is left: the next open moves it to trash/. Killed
 * between 2 and 3, the rows and a complete temporary folder are left: the next open gives the
 * folder its name. No row ever points at a folder still being filled, and no `runs/<id>` exists
 * without its rows. Any failure in 1 or 2 removes the temporary folder.
 */
async function materialise(
  ws: RunsWorkspace,
  run: Omit<NewRun, 'id'>,
  inputs: readonly InputRequest[],
  mode: 'copy' | 'link',
  params: RunParams,
  audit: (id: string, inputs: RunInput[]) => { action: string; details: unknown; actor?: string | undefined },
  check?: (inputs: RunInput[]) => void,
): Promise<string> {
  const sources = await checkSources(inputs);
  const id = randomUUID();
  const partial = partialRunDir(ws.layout, id);
  await mkdir(ws.layout.runsDir, { recursive: true });
  await mkdir(partial); // fails if it exists: never write into another run's folder
  try {
    await mkdir(join(partial, 'rawdata'));
    await mkdir(join(partial, 'logs'));
    const ingested = await ingestInputs(partial, sources, mode);
    check?.(ingested);
    insertRun(ws.db, { id, ...run }, ingested, params, () => {
      const entry = audit(id, ingested);
      recordAudit(ws.db, { actor: entry.actor, action: entry.action, entityType: 'run', entityId: id, details: entry.details });
      for (const outside of inputsOutside(ws.layout, ingested)) {
        recordAudit(ws.db, { actor: entry.actor, action: 'runs.input_outside_workspace', entityType: 'run', entityId: id, details: outside });
      }
    });
  } catch (err) {
    await rm(partial, { recursive: true, force: true });
    throw err;
  }
  try {
    await rename(partial, runDir(ws.layout, id));
  } catch (err) {
    throw new ApiError('io_error', `Run ${run.name} was recorded, but its folder could not take its name (${(err as Error).message}); Benchtop finishes this the next time it opens the workspace.`);
  }
  return id;
}

/**
 * Inputs read from outside the workspace are allowed (that is how data comes in), but each is
 * recorded in the audit trail with its real path: the run depends on a file Benchtop does not keep.
 */
function inputsOutside(layout: WorkspaceLayout, inputs: readonly RunInput[]): { role: string; mode: RunInput['mode']; path: string }[] {
  const root = realpathOrSelf(layout.path);
  return inputs
    .map((i) => ({ role: i.role, mode: i.mode, path: realpathOrSelf(i.originalPath) }))
    .filter((i) => !isInside(i.path, root));
}

function realpathOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** A new run: its folder `runs/<id>/` with `rawdata/` and `logs/`, its inputs, its parameters. */
export async function createRun(
  ws: RunsWorkspace,
  request: z.input<typeof CreateRunRequest>,
  opts: ActorOptions = {},
): Promise<RunDetail> {
  const req = parse(CreateRunRequest, request, 'runs.create');
  const id = await materialise(
    ws,
    { name: req.name, description: req.description ?? null, createdBy: req.createdBy ?? null, pipeline: req.pipeline },
    req.inputs,
    req.mode,
    req.params,
    (_id, inputs) => ({
      actor: opts.actor,
      action: 'runs.create',
      details: { name: req.name, pipeline: req.pipeline, inputs: inputs.map((i) => ({ role: i.role, name: i.name, bytes: i.bytes, sha256: i.sha256, mode: i.mode })) },
    }),
  );
  return getRun(ws, id);
}

/** A run's configuration and input descriptions, without any data file. */
export function exportRun(ws: RunsWorkspace, id: string): RunExport {
  const run = getRun(ws, id);
  return {
    format: 'benchtop-run',
    version: 1,
    name: run.name,
    description: run.description,
    createdBy: run.createdBy,
    pipeline: run.pipeline,
    params: run.params,
    inputs: run.inputs.map((i) => ({ role: i.role, name: i.name, bytes: i.bytes, sha256: i.sha256 })),
    exportedAt: new Date().toISOString(),
    exportedFrom: `run ${run.id} in ${ws.layout.path} (Benchtop ${APP_VERSION})`,
  };
}

export interface ImportRunRequest {
  /** A RunExport, checked here. */
  config: unknown;
  /** The file the configuration came from: every error names it. */
  source?: string | undefined;
  inputs?: InputRequest[] | undefined;
  mode?: 'copy' | 'link' | undefined;
  /** Accept input files whose sha256 differs from the exported one (the difference is audited). */
  allowChecksumMismatch?: boolean | undefined;
}

/**
 * A new run (new id, same name) from an export; given input files are checked against the exported
 * sha256. Every error names the configuration's `source` file when it is given.
 */
export async function importRun(ws: RunsWorkspace, request: ImportRunRequest, opts: ActorOptions = {}): Promise<RunDetail> {
  const { source } = request;
  try {
    return await importConfig(ws, request, opts);
  } catch (err) {
    if (source !== undefined && err instanceof ApiError) throw new ApiError(err.code, `${source}: ${err.message}`);
    throw err;
  }
}

async function importConfig(ws: RunsWorkspace, request: ImportRunRequest, opts: ActorOptions): Promise<RunDetail> {
  const config = parse(RunExport, request.config, request.source === undefined ? 'runs.import config' : null);
  const inputs = request.inputs ?? [];
  const exported = new Map(config.inputs.map((i) => [i.role, i]));
  for (const i of inputs) {
    if (!exported.has(i.role)) {
      throw new ApiError('invalid_request', `Input role ${i.role} is not in the exported run (it has ${[...exported.keys()].join(', ') || 'no inputs'}).`);
    }
  }
  const mismatches: { role: string; expected: string; actual: string }[] = [];
  const id = await materialise(
    ws,
    { name: config.name, description: config.description, createdBy: config.createdBy, pipeline: config.pipeline },
    inputs,
    request.mode ?? 'copy',
    config.params,
    (_id, ingested) => ({
      actor: opts.actor,
      action: 'runs.import',
      details: {
        name: config.name,
        source: { exportedFrom: config.exportedFrom, exportedAt: config.exportedAt },
        inputs: ingested.map((i) => ({ role: i.role, name: i.name, bytes: i.bytes, sha256: i.sha256, mode: i.mode })),
        checksumMismatches: mismatches,
      },
    }),
    (ingested) => {
      for (const i of ingested) {
        const expected = exported.get(i.role);
        if (expected && expected.sha256 !== i.sha256) mismatches.push({ role: i.role, expected: expected.sha256, actual: i.sha256 });
      }
      const first = mismatches[0];
      if (first && !request.allowChecksumMismatch) {
        throw new ApiError(
          'invalid_request',
          `Input ${first.role}: its sha256 ${first.actual} differs from the exported ${first.expected}` +
            (mismatches.length > 1 ? ` (and ${mismatches.slice(1).map((m) => m.role).join(', ')} too)` : '') +
            ': not the same file (pass allowChecksumMismatch to import anyway).',
        );
      }
    },
  );
  return getRun(ws, id);
}

export interface DeletedFiles {
  deletedBytes: number;
  deletedFiles: number;
}

/** Sizes of what is under `dir`, without following links (a link counts as a file of 0 bytes). */
async function measure(dir: string): Promise<DeletedFiles> {
  let deletedBytes = 0;
  let deletedFiles = 0;
  const walk = async (d: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        await walk(p);
      } else {
        deletedFiles++;
        if (e.isFile()) deletedBytes += (await lstat(p)).size;
      }
    }
  };
  await walk(dir);
  return { deletedBytes, deletedFiles };
}

function refuseWhileActive(ws: RunsWorkspace, id: string, what: string): void {
  const active = activeJobCount(ws.db, id);
  if (active > 0) {
    throw new ApiError('conflict', `Run ${id} has ${active} job${active === 1 ? '' : 's'} pending or running: kill ${active === 1 ? 'it' : 'them'} before you ${what} the run.`);
  }
}

/** Everything under the run's folder, removed; links are removed, never what they point to. */
async function removeContents(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  for (const name of names) await rm(join(dir, name), { recursive: true, force: true });
}

/** Deletes the run's files (inputs copied in included); keeps its rows, its jobs and its audit trail. */
export async function cleanRun(ws: RunsWorkspace, id: string, opts: ActorOptions = {}): Promise<DeletedFiles> {
  const run = getRunSummary(ws.db, id);
  refuseWhileActive(ws, id, 'clean');
  const dir = runDir(ws.layout, id);
  const measured = await measure(dir);
  await removeContents(dir);
  ws.db.transaction(() => {
    markCleaned(ws.db, id);
    recordAudit(ws.db, { actor: opts.actor, action: 'runs.clean', entityType: 'run', entityId: id, details: { name: run.name, ...measured } });
  }).immediate();
  return measured;
}

/** Deletes the run's files and rows (its jobs, inputs and parameters with it); the audit trail stays. */
export async function deleteRun(ws: RunsWorkspace, request: { id: string; confirm: string }, opts: ActorOptions = {}): Promise<DeletedFiles & { id: string }> {
  const { id, confirm } = request;
  const run = getRunSummary(ws.db, id);
  if (confirm !== id) throw new ApiError('invalid_request', `To delete run ${id}, type the run id to confirm.`);
  refuseWhileActive(ws, id, 'delete');
  const dir = runDir(ws.layout, id);
  const measured = await measure(dir);
  await rm(dir, { recursive: true, force: true });
  ws.db.transaction(() => {
    recordAudit(ws.db, {
      actor: opts.actor,
      action: 'runs.delete',
      entityType: 'run',
      entityId: id,
      details: { name: run.name, pipeline: run.pipeline, createdAt: run.createdAt, jobCount: run.jobCount, ...measured },
    });
    deleteRunRows(ws.db, id);
  }).immediate();
  return { id, ...measured };
}
