/** The only two IPC channels between Electron's main process and the renderer. */
export const INVOKE_CHANNEL = 'benchtop:invoke';
export const EVENT_CHANNEL = 'benchtop:event';
