import { isAbsolute } from 'node:path';
import { ApiError } from '../../shared/errors';
import { auditTrailTables, listAuditTrail } from '../../db/repos/auditTrail';
import type { HandlerTable } from '../api/dispatch';
import type { Session } from '../api/session';
import { listBackups, rotationPolicy } from './backups';
import { expand } from './resolve';

type DbOps = 'db.backups' | 'db.restore' | 'db.audit';

export function dbHandlers(session: Session): Pick<HandlerTable, DbOps> {
  return {
    'db.backups': () => ({ backups: listBackups(session.workspace.layout), policy: rotationPolicy(session.host.configDir) }),
    'db.restore': ({ file }) => {
      const path = expand(file);
      if (!isAbsolute(path)) throw new ApiError('invalid_request', `db.restore: file: give the backup's full path, not ${JSON.stringify(file)}.`);
      return session.restore(path);
    },
    'db.audit': (query) => {
      const db = session.workspace.db;
      const page = listAuditTrail(db, query);
      return { ...page, tables: auditTrailTables(db) };
    },
  };
}
