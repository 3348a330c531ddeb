import { ApiError } from '../../shared/errors';
import { experimentDetail, listExperiments } from '../../db/repos/experiments';
import type { HandlerTable } from '../api/dispatch';
import type { Session } from '../api/session';
import { registerBasecall } from './basecalls';
import { DiscoveryScans } from './discovery';
import { readDiscoveryFolders, writeDiscoveryFolders } from './discoveryFolders';
import { migrateLegacy } from './legacy';

type ExperimentOps =
  | 'experiments.discover'
  | 'experiments.cancelDiscovery'
  | 'experiments.discovery'
  | 'experiments.discoveryFolders'
  | 'experiments.list'
  | 'experiments.get'
  | 'experiments.migrateLegacy'
  | 'basecalls.register';

export function experimentsHandlers(session: Session): Pick<HandlerTable, ExperimentOps> {
  const db = () => session.workspace.db;
  const actor = session.host.mode;
  const scans = new DiscoveryScans(session.events, db, actor);
  return {
    'experiments.discover': ({ dirs }) => {
      const scanId = scans.start(dirs);
      writeDiscoveryFolders(session.host.configDir, session.workspace.layout.path, dirs);
      return { scanId };
    },
    'experiments.cancelDiscovery': ({ scanId }) => scans.cancel(scanId),
    'experiments.discovery': ({ scanId }) => scans.get(scanId),
    'experiments.discoveryFolders': () => ({ folders: readDiscoveryFolders(session.host.configDir, session.workspace.layout.path) }),
    'experiments.list': ({ search }) => listExperiments(db(), search),
    'experiments.get': ({ expId }) => {
      const detail = experimentDetail(db(), expId);
      if (!detail) throw new ApiError('not_found', `There is no experiment ${expId}.`);
      return detail;
    },
    'experiments.migrateLegacy': ({ source, dryRun }) => migrateLegacy(db(), source, dryRun, actor),
    'basecalls.register': (request) => registerBasecall(db(), request, { actor }),
  };
}
