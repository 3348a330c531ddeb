import { existsSync, readdirSync, rmSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { OpResponse } from '../../shared/contract';
import { backupWorkspace, rotationPolicy } from './backups';
import { backupDatabase } from '../../db/backup';
import { verifyBackup } from '../../db/backups/verify';
import { schemaVersion } from '../../db/migrate';
import { inventory } from '../../db/repos/inventory';
import { addLookupRow, listLookupRows, listLookupTables } from '../../db/repos/lookups';
import { recordAudit } from '../../db/repos/audit';
import { ApiError } from '../../shared/errors';
import type { HandlerTable } from '../api/dispatch';
import type { Session } from '../api/session';
import { writeSettings } from './settings';
import { expand } from './resolve';
import { dismissUnfinishedRuns, unfinishedRuns } from '../runs/unfinished';

type WorkspaceOps =
  | 'workspace.get'
  | 'workspace.switch'
  | 'workspace.unfinishedRuns'
  | 'workspace.dismissUnfinishedRuns'
  | 'db.inventory' | 'db.backup' | 'lookups.tables' | 'lookups.list' | 'lookups.add';

export function workspaceHandlers(session: Session): Pick<HandlerTable, WorkspaceOps> {
  const db = () => session.workspace.db;
  return {
    'workspace.get': () => session.workspace.info(),
    'workspace.switch': ({ path }) => {
      // The app's working directory means nothing to the user: a relative path would land anywhere.
      if (!isAbsolute(path) && path !== '~' && !path.startsWith('~/')) {
        throw new ApiError('invalid_request', `workspace.switch: path: give the folder's full path (starting with / or ~/), not ${JSON.stringify(path)}.`);
      }
      const dir = expand(path);
      if (existsSync(dir) && !existsSync(join(dir, 'benchtop.db')) && !isEmptyFolder(dir)) {
        // Refusing a random non-empty folder keeps a mistyped path from scattering Benchtop's folders into it.
        throw new ApiError('conflict', `${dir} is not empty and holds no benchtop.db: choose an empty folder or an existing workspace.`);
      }
      const next = session.switchWorkspace(dir);
      writeSettings(session.host.configDir, { workspace: next.layout.path });
      return next.info();
    },
    'workspace.unfinishedRuns': () => unfinishedRuns(session.workspace.layout),
    'workspace.dismissUnfinishedRuns': () => dismissUnfinishedRuns(session.workspace.layout, db(), session.host.mode),
    'db.inventory': () => inventory(db(), session.workspace.layout.centralDb),
    'db.backup': async ({ to }) => {
      let result: OpResponse<'db.backup'>;
      if (to) {
        result = backupDatabase(db(), expand(to));
        try {
          verifyBackup(result.path, schemaVersion(db()));
        } catch (err) {
          rmSync(result.path, { force: true });
          throw err;
        }
      } else {
        const { central, reads } = await backupWorkspace(session.workspace, 'manual', rotationPolicy(session.host.configDir));
        result = { path: central.path, bytes: central.bytes, reads: reads.map((r) => ({ path: r.path, bytes: r.bytes })) };
      }
      recordAudit(db(), { actor: session.host.mode, action: 'db.backup', entityType: 'database', entityId: 'benchtop.db', details: result });
      return result;
    },
    'lookups.tables': () => listLookupTables(db()),
    'lookups.list': ({ table }) => listLookupRows(db(), table),
    'lookups.add': ({ table, row }) => {
      const stored = addLookupRow(db(), table, row);
      recordAudit(db(), { actor: session.host.mode, action: 'lookups.add', entityType: table, details: stored });
      return stored;
    },
  };
}

function isEmptyFolder(dir: string): boolean {
  try {
    return readdirSync(dir).filter((e) => !e.startsWith('.')).length === 0;
  } catch {
    return false;
  }
}
