import { z } from 'zod';
import { CreateRunRequest, InputRole, RunDetail, RunExport, RunFile, RunId, RunSummary } from '../schemas/runs';
import { op } from './define';

const Id = z.string().min(1).max(64);
const RelPath = z.string().max(4096);

export const ListRunsRequest = z
  .object({
    /** Matches name, description, created_by or id (case-insensitive). */
    search: z.string().max(200).optional(),
    status: z.string().max(32).optional(),
    pipeline: z.string().max(64).optional(),
    limit: z.number().int().min(1).max(1000).default(100),
    offset: z.number().int().nonnegative().default(0),
  })
  .strict();

export const ListRunsResult = z.object({ runs: z.array(RunSummary), total: z.number().int().nonnegative() });

export const ImportRunRequest = z
  .object({
    /**
     * A RunExport. Checked by the handler rather than here, so that its errors name `source`: the
     * file the user gave, which the request cannot otherwise carry to the message.
     */
    config: z.unknown(),
    /** Where the configuration was read from (the file's path or name), named in every error. */
    source: z.string().min(1).max(4096).optional(),
    /** Files for the exported input roles; their sha256 must match the exported ones. */
    inputs: z.array(z.object({ role: InputRole, path: z.string().min(1).max(4096) }).strict()).max(100).optional(),
    mode: z.enum(['copy', 'link']).optional(),
    allowChecksumMismatch: z.boolean().optional(),
  })
  .strict();

export const DeletedFiles = z.object({
  deletedBytes: z.number().int().nonnegative(),
  deletedFiles: z.number().int().nonnegative(),
});

export const DeleteRunRequest = z.object({ id: Id, confirm: z.string().max(64) }).strict();
export const DeleteRunResult = DeletedFiles.extend({ id: z.string() });

export const RunFilesRequest = z
  .object({ id: Id, dir: RelPath.optional(), recursive: z.boolean().optional(), limit: z.number().int().min(1).max(100_000).optional() })
  .strict();
export const RunFilesResult = z.object({ dir: z.string(), files: z.array(RunFile), truncated: z.boolean() });

export const ReadTextRequest = z
  .object({ id: Id, path: RelPath.min(1), maxBytes: z.number().int().min(1).max(1024 * 1024).optional() })
  .strict();
export const ReadTextResult = z.object({
  path: z.string(),
  text: z.string(),
  /** The file's whole size. */
  bytes: z.number().int().nonnegative(),
  truncated: z.boolean(),
});

export const FileUrlRequest = z.object({ id: Id, path: RelPath.min(1) }).strict();
export const FileUrlResult = z.object({
  /** Relative to the page (the browser bridge) or absolute (app:// in the desktop app). */
  url: z.string(),
  /** When the URL stops opening the file (ISO), or null when it does not expire. */
  expiresAt: z.string().nullable(),
});

export const runsOps = {
  'runs.create': op(
    'Create a run: its folder, its input files copied or linked into rawdata/ (size and sha256 recorded), its parameters',
    CreateRunRequest,
    RunDetail,
  ),
  'runs.list': op('Runs, newest first, with search (name, description, creator, id), status and pipeline filters, paged', ListRunsRequest, ListRunsResult),
  'runs.get': op('One run: inputs, parameters by step, every job attempt', RunId, RunDetail),
  'runs.export': op("A run's configuration and input descriptions as JSON (no data files)", RunId, RunExport),
  'runs.import': op('A new run from an exported configuration, with input files checked against the exported sha256', ImportRunRequest, RunDetail),
  'runs.clean': op("Delete a run's files, keeping its records, jobs and audit trail", RunId, DeletedFiles),
  'runs.delete': op('Delete a run, its files and rows (confirm = the run id); the audit trail stays', DeleteRunRequest, DeleteRunResult),
  'runs.files': op("The files of a run's folder (or a folder in it), relative to the run", RunFilesRequest, RunFilesResult),
  'runs.readText': op("The start of a text file of a run (bounded), for previews", ReadTextRequest, ReadTextResult),
  'runs.fileUrl': op('A URL that shows one file of a run in a frame (in the browser: signed for that file, expiring)', FileUrlRequest, FileUrlResult),
} as const;
