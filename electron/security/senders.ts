/**
 * Who may call the handler table over IPC: only the app's own page, in the top frame of the
 * window. A sub-frame (even a same-origin one) or a page that navigated elsewhere is refused, as
 * VS Code's validatedIpcMain does.
 */
import type { ApiResult } from '../../shared/errors';
import { isAppUrl } from './navigation';

/** `frameUrl` is `event.senderFrame.url`; `isTopFrame` is `event.senderFrame.parent === null`. */
export function isTrustedSender(frameUrl: unknown, isTopFrame: boolean): boolean {
  return isTopFrame === true && isAppUrl(frameUrl);
}

/** What an untrusted sender gets back instead of a result (no handler runs). */
export function untrustedSenderResult(frameUrl: unknown): ApiResult<never> {
  const where = typeof frameUrl === 'string' && frameUrl !== '' ? frameUrl.slice(0, 200) : 'an unknown frame';
  return {
    ok: false,
    error: { code: 'invalid_request', message: `Refused: ${where} is not Benchtop's window and may not call its API.` },
  };
}
