/**
 * Web permissions asked for by a page (camera, microphone, geolocation, notifications, clipboard
 * reads, USB, HID, serial, fullscreen …). Benchtop's renderer needs none of them: notifications are
 * shown by the main process, files go through native dialogs. Every request and every check is
 * denied, whatever the permission and whoever asks.
 */

/** The decision for `setPermissionRequestHandler` and `setPermissionCheckHandler`. */
export function isPermissionGranted(_permission: string, _requestingOrigin?: string): boolean {
  return false;
}

/** The decision for `setDevicePermissionHandler` (USB, HID, serial, Bluetooth devices). */
export function isDeviceAccessGranted(_deviceType: string, _origin?: string): boolean {
  return false;
}
