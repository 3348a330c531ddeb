import type { Session as ElectronSession } from 'electron';
import { withSecurityHeaders } from '../security/headers';
import { isDeviceAccessGranted, isPermissionGranted } from '../security/permissions';

/** Session-wide locks: no web permission, no device, and Benchtop's CSP on every response. */
export function hardenSession(ses: ElectronSession): void {
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isPermissionGranted(permission, details.requestingUrl));
  });
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermissionGranted(permission, requestingOrigin));
  ses.setDevicePermissionHandler((details) => isDeviceAccessGranted(details.deviceType, details.origin));
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withSecurityHeaders(details.responseHeaders) });
  });
}
