import { z } from 'zod';
import { BackupResult, DbInventory, UnfinishedRuns, WorkspaceInfo } from '../schemas/workspace';
import { PipelineStatus, SystemInfo, SystemStatus } from '../schemas/system';
import { LookupRow, LookupTable, LookupTableInfo } from '../schemas/lookups';
import { OpenDialogRequest, OpenDialogResult, SaveDialogRequest, SaveDialogResult } from '../schemas/dialogs';
import { Empty, op } from './define';

export const systemOps = {
  'system.status': op('Workspace, database sizes, free disk, active jobs, total runs, uptime', Empty, SystemStatus),
  'system.info': op('Name, version and runtime of this Benchtop', Empty, SystemInfo),
  'pipeline.status': op(
    'Experiments, basecall runs by status, runs and jobs by status, runs ready for SMA analysis',
    Empty,
    PipelineStatus,
  ),

  'workspace.get': op('The open workspace and its layout', Empty, WorkspaceInfo),
  'workspace.switch': op(
    'Open another workspace folder (created and initialised when new) and remember it',
    z.object({ path: z.string().min(1).max(4096) }).strict(),
    WorkspaceInfo,
  ),
  'workspace.unfinishedRuns': op('Run folders an unfinished run creation left, moved to trash/ when the workspace opened (until dismissed)', Empty, UnfinishedRuns),
  'workspace.dismissUnfinishedRuns': op(
    'Dismiss the notice of unfinished run folders moved to trash/ (the folders stay there)',
    Empty,
    z.object({ dismissed: z.number().int().nonnegative() }),
  ),
  'db.inventory': op('Tables of the central database with their row counts', Empty, DbInventory),
  'db.backup': op(
    'Copy the central database, consistently, to a file (default: <workspace>/backups/)',
    z.object({ to: z.string().min(1).max(4096).optional() }).strict(),
    BackupResult,
  ),

  'lookups.tables': op('The lookup tables, their columns and row counts', Empty, z.array(LookupTableInfo)),
  'lookups.list': op('The rows of one lookup table', z.object({ table: LookupTable }).strict(), z.array(LookupRow)),
  'lookups.add': op(
    'Add a row to a lookup table (a new kit, model …); an existing key is a conflict',
    z.object({ table: LookupTable, row: LookupRow }).strict(),
    LookupRow,
  ),

  'dialog.open': op('A native open-file or open-folder dialog (desktop only)', OpenDialogRequest, OpenDialogResult),
  'dialog.save': op('A native save-file dialog (desktop only)', SaveDialogRequest, SaveDialogResult),
} as const;
