import { describe, expect, it } from 'vitest';
import { isDeviceAccessGranted, isPermissionGranted } from './permissions';

const PERMISSIONS = [
  'notifications',
  'media',
  'geolocation',
  'clipboard-read',
  'clipboard-sanitized-write',
  'fullscreen',
  'openExternal',
  'midi',
  'midiSysex',
  'pointerLock',
  'hid',
  'serial',
  'usb',
  'display-capture',
  'fileSystem',
  'window-management',
  'unknown',
];

describe('permissions', () => {
  it.each(PERMISSIONS)('denies %s to the app itself and to anyone else', (permission) => {
    expect(isPermissionGranted(permission, 'app://benchtop')).toBe(false);
    expect(isPermissionGranted(permission, 'app://benchtop/index.html')).toBe(false);
    expect(isPermissionGranted(permission, 'https://example.org')).toBe(false);
    expect(isPermissionGranted(permission)).toBe(false);
  });

  it('denies device access', () => {
    for (const type of ['hid', 'serial', 'usb', 'bluetooth']) expect(isDeviceAccessGranted(type, 'app://benchtop')).toBe(false);
  });
});
