import type { HandlerTable } from '../api/dispatch';
import type { Session } from '../api/session';
import { SqlPool } from './pool';
import { ReadsService } from './service';

type ReadsOps =
  | 'reads.page'
  | 'reads.count'
  | 'reads.export'
  | 'reads.exportCancel'
  | 'reads.histograms'
  | 'reads.summary'
  | 'reads.verdict'
  | 'reads.compare'
  | 'reads.query';

export function readsHandlers(session: Session): Pick<HandlerTable, ReadsOps> {
  let service: ReadsService | null = null;
  // The pool's threads start on the first query; they hold the process open only while they work.
  const reads = () =>
    (service ??= new ReadsService({
      db: () => session.workspace.db,
      readsDir: () => session.workspace.layout.readsDir,
      pool: new SqlPool(),
      onExportProgress: (progress) => session.events.emit('reads.export', progress),
    }));
  return {
    'reads.page': (req) => reads().page(req),
    'reads.count': async ({ runId, filter, key }) => ({ total: await reads().count(runId, filter, key) }),
    'reads.export': (req) => reads().export(req),
    'reads.exportCancel': ({ exportId }) => ({ cancelled: reads().cancelExport(exportId) }),
    'reads.histograms': ({ runId, filter }) => reads().histograms(runId, filter),
    'reads.summary': ({ runId }) => reads().summary(runId),
    'reads.verdict': ({ runId, libId }) => reads().verdict(runId, libId),
    'reads.compare': ({ expId, runIds }) => reads().compare(expId, runIds),
    'reads.query': ({ expIds, metric }) => reads().query(expIds, metric),
  };
}
