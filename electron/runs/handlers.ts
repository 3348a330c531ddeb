import type { HandlerTable } from '../api/dispatch';
import type { Session } from '../api/session';
import { listRunFiles, readRunText, runFileUrl } from './files';
import { cleanRun, createRun, deleteRun, exportRun, getRun, importRun, listRuns } from './service';

type RunOps =
  | 'runs.create'
  | 'runs.list'
  | 'runs.get'
  | 'runs.export'
  | 'runs.import'
  | 'runs.clean'
  | 'runs.delete'
  | 'runs.files'
  | 'runs.readText'
  | 'runs.fileUrl';

export function runsHandlers(session: Session): Pick<HandlerTable, RunOps> {
  const ws = () => session.workspace;
  const actor = () => ({ actor: session.host.mode });
  return {
    'runs.create': (request) => createRun(ws(), request, actor()),
    'runs.list': (filter) => listRuns(ws(), filter),
    'runs.get': ({ id }) => getRun(ws(), id),
    'runs.export': ({ id }) => exportRun(ws(), id),
    'runs.import': (request) => importRun(ws(), request, actor()),
    'runs.clean': ({ id }) => cleanRun(ws(), id, actor()),
    'runs.delete': (request) => deleteRun(ws(), request, actor()),
    'runs.files': ({ id, dir, recursive, limit }) => listRunFiles(ws(), id, { dir, recursive, limit }),
    'runs.readText': ({ id, path, maxBytes }) => readRunText(ws(), id, path, maxBytes),
    'runs.fileUrl': ({ id, path }) => runFileUrl(ws(), session.host.runFileLinks, id, path),
  };
}
