import { CENTRAL_SCHEMA_VERSION } from '../../db/central';
import { READS_SCHEMA_VERSION } from '../../db/reads';
import { pipelineStatus } from '../../db/repos/pipelineStatus';
import type { HandlerTable } from '../api/dispatch';
import type { Session } from '../api/session';
import { systemStatus } from './status';
import { APP_NAME, APP_VERSION } from './version';

export function systemHandlers(session: Session): Pick<HandlerTable, 'system.status' | 'system.info' | 'pipeline.status'> {
  return {
    'system.status': () => systemStatus(session.workspace, session.startedAt),
    'system.info': () => ({
      name: APP_NAME,
      version: APP_VERSION,
      deploymentMode: session.host.mode,
      platform: process.platform,
      arch: process.arch,
      nodeVersion: process.versions.node,
      electronVersion: session.host.electronVersion,
      sqliteVersion: session.workspace.db.prepare('SELECT sqlite_version()').pluck().get() as string,
      centralSchemaVersion: CENTRAL_SCHEMA_VERSION,
      readsSchemaVersion: READS_SCHEMA_VERSION,
    }),
    'pipeline.status': () => pipelineStatus(session.workspace.db),
  };
}
