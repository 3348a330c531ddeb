import { app, BrowserWindow, screen, shell, type WebContents } from 'electron';
import { APP_INDEX_URL, decideWindowOpen, isNavigationAllowed } from '../security/navigation';
import { loadWindowState, MIN_HEIGHT, MIN_WIDTH, saveWindowState } from '../security/windowState';

export interface MainWindowOptions {
  preload: string;
  /** The window icon, where the platform shows one. */
  icon?: string | undefined;
  /** Where window-state.json lives (the config dir shared with the CLI). */
  configDir: string;
}

/** The one Benchtop window: isolated, sandboxed, on app://benchtop, at its remembered place. */
export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const state = loadWindowState(
    opts.configDir,
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const win = new BrowserWindow({
    x: state.x,
    y: state.y,
    width: state.width,
    height: state.height,
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    title: 'Benchtop',
    icon: opts.icon,
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: opts.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: !app.isPackaged,
    },
  });
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  win.on('close', () => {
    const bounds = win.getNormalBounds();
    try {
      saveWindowState(opts.configDir, { ...bounds, maximized: win.isMaximized() });
    } catch {
      // Remembering the window is a courtesy: never stop the app from closing over it.
    }
  });
  void win.loadURL(APP_INDEX_URL);
  return win;
}

/**
 * Locks for every web contents the app creates (`app.on('web-contents-created')`): navigation
 * stays on app://benchtop, no new windows (http(s) links go to the browser), no <webview>.
 */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    if (!isNavigationAllowed(event.url)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isNavigationAllowed(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isNavigationAllowed(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url);
    if (decision.openExternal) void shell.openExternal(decision.openExternal).catch(() => undefined);
    return { action: decision.action };
  });
}

/** A second launch: bring the existing window forward. */
export function focusWindow(win: BrowserWindow | null): void {
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}
