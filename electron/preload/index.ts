/**
 * The sandboxed preload: puts `window.benchtop` (the BenchtopBridge of shared/contract) into the
 * page, and `window.benchtopFiles.pathFor(file)` (where a file dropped on the window lives: pages
 * no longer see File.path), and nothing else: no ipcRenderer, no Node, no IpcRendererEvent. The contract's names are
 * checked here too, so a typo fails in the page without a round trip.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { isEventName, isOpName, type BenchtopBridge } from '../../shared/contract';
import type { ApiResult } from '../../shared/errors';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../../shared/ipc';

function failure(code: 'unknown_operation' | 'internal', message: string): ApiResult<never> {
  return { ok: false, error: { code, message } };
}

const bridge: BenchtopBridge = {
  invoke(op, request) {
    if (!isOpName(op)) {
      return Promise.resolve(failure('unknown_operation', `There is no operation ${JSON.stringify(op)}.`));
    }
    return (ipcRenderer.invoke(INVOKE_CHANNEL, op, request) as Promise<ApiResult<never>>).catch((err: unknown) =>
      failure('internal', `Benchtop's main process did not answer ${op}: ${err instanceof Error ? err.message : String(err)}`),
    );
  },
  on(event, listener) {
    if (!isEventName(event)) throw new TypeError(`There is no event ${JSON.stringify(event)}.`);
    if (typeof listener !== 'function') throw new TypeError('The listener must be a function.');
    const forward = (_ipcEvent: IpcRendererEvent, name: unknown, payload: unknown): void => {
      if (name === event) (listener as (payload: unknown) => void)(payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, forward);
    };
  },
};

contextBridge.exposeInMainWorld('benchtop', bridge);
contextBridge.exposeInMainWorld('benchtopFiles', {
  pathFor(file: unknown): string {
    return file instanceof File ? webUtils.getPathForFile(file) : '';
  },
});
