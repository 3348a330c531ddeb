import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../../shared/ipc';
import type { Session } from '../api/session';
import { isAppUrl } from '../security/navigation';
import { isTrustedSender, untrustedSenderResult } from '../security/senders';

/**
 * The IPC door onto the handler table: one invoke channel (sender checked, result always
 * `{ok, value|error}`), one event channel (bus events to the app's windows). Returns the unbinding.
 */
export function bindIpc(session: Session): () => void {
  ipcMain.handle(INVOKE_CHANNEL, (event: IpcMainInvokeEvent, op: unknown, request: unknown) => {
    const frame = event.senderFrame;
    if (!frame || !isTrustedSender(frame.url, frame.parent === null)) {
      return untrustedSenderResult(frame?.url);
    }
    return session.dispatch(op, request);
  });

  const unsubscribe = session.events.subscribe(({ name, payload }) => {
    for (const win of BrowserWindow.getAllWindows()) {
      const contents = win.webContents;
      if (contents.isDestroyed() || !isAppUrl(contents.getURL())) continue;
      contents.send(EVENT_CHANNEL, name, payload);
    }
  });

  return () => {
    unsubscribe();
    ipcMain.removeHandler(INVOKE_CHANNEL);
  };
}
