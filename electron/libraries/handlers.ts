import { writeFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { ApiError } from '../../shared/errors';
import type { HandlerTable } from '../api/dispatch';
import type { Session } from '../api/session';
import { expand } from '../workspace/resolve';
import {
  addRow,
  createLibrary,
  deleteLibrary,
  editRow,
  getLibrary,
  importConstructs,
  linkExperiment,
  listLibraries,
  newVersion,
  removeRow,
  setStatus,
  unlinkExperiment,
  updateLibrary,
} from './service';
import { exportLibrary, importLibraryFile } from './transfer';

type LibraryOps = Extract<keyof HandlerTable, `libraries.${string}`>;

/** The app's working directory means nothing to the user: file paths must be full paths. */
function fullPath(op: string, path: string): string {
  if (!isAbsolute(path) && path !== '~' && !path.startsWith('~/')) {
    throw new ApiError('invalid_request', `${op}: path: give the file's full path (starting with / or ~/), not ${JSON.stringify(path)}.`);
  }
  return expand(path);
}

export function librariesHandlers(session: Session): Pick<HandlerTable, LibraryOps> {
  const db = () => session.workspace.db;
  const actor = () => ({ actor: session.host.mode });
  return {
    'libraries.list': () => listLibraries(db()),
    'libraries.get': ({ libId }) => getLibrary(db(), libId),
    'libraries.create': ({ spec }) => createLibrary(db(), spec, actor()),
    'libraries.update': ({ libId, changes }) => updateLibrary(db(), libId, changes, actor()),
    'libraries.delete': ({ libId }) => {
      deleteLibrary(db(), libId, actor());
      return { libId };
    },
    'libraries.setStatus': ({ libId, status }) => setStatus(db(), libId, status, actor()),
    'libraries.newVersion': ({ libId, major }) => newVersion(db(), libId, { major, ...actor() }),
    'libraries.addRow': ({ libId, table, row }) => addRow(db(), libId, table, row, actor()),
    'libraries.editRow': ({ libId, table, id, changes }) => editRow(db(), libId, table, id, changes, actor()),
    'libraries.deleteRow': ({ libId, table, id }) => removeRow(db(), libId, table, id, actor()),
    'libraries.importConstructs': ({ libId, path, constructType }) =>
      importConstructs(db(), libId, fullPath('libraries.importConstructs', path), { constructType, ...actor() }),
    'libraries.experiments': () =>
      db().prepare('SELECT exp_id, sample_id, flow_cell_id, started FROM experiments ORDER BY started DESC, exp_id').all() as {
        exp_id: string;
        sample_id: string | null;
        flow_cell_id: string | null;
        started: string | null;
      }[],
    'libraries.link': ({ libId, expId, link }) => linkExperiment(db(), libId, expId, link, actor()),
    'libraries.unlink': ({ libId, expId }) => unlinkExperiment(db(), libId, expId, actor()),
    'libraries.export': async ({ libId, format, path }) => {
      const text = exportLibrary(db(), libId, format);
      if (path === undefined) return { text, path: null };
      const file = fullPath('libraries.export', path);
      try {
        await writeFile(file, text, { flag: 'wx' });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new ApiError('conflict', `${file} exists already: choose another file name.`);
        throw err;
      }
      return { text, path: file };
    },
    'libraries.import': async ({ path }) => getLibrary(db(), await importLibraryFile(db(), fullPath('libraries.import', path), actor())),
  };
}
