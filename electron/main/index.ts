/**
 * Benchtop's Electron main process: lifecycle only. Each concern lives in its own small file
 * beside this one; the policies they apply are plain, tested modules in electron/security.
 */
import { app, BrowserWindow, dialog, session as electronSession } from 'electron';
import { Session } from '../api/session';
import { createJobNoticePolicy } from '../jobs/notice';
import type { JobInfo } from '../../shared/schemas/jobs';
import type { Host } from '../api/host';
import { workspaceFromArgv } from '../security/launchArgs';
import { APP_NAME } from '../system/version';
import { configDir } from '../workspace/settings';
import { createDialogProvider } from './dialogs';
import { bindIpc } from './ipc';
import { installMenu } from './menu';
import { notify } from './notify';
import { PRELOAD_FILE, RENDERER_DIR, windowIcon } from './paths';
import { appRunFileLinks, registerAppScheme, serveAppProtocol } from './protocol';
import { hardenSession } from './security';
import { startupErrorText } from './startupError';
import { createMainWindow, focusWindow, hardenWebContents } from './window';

const config = configDir();
let mainWindow: BrowserWindow | null = null;
let benchtop: Session | null = null;
let unbindIpc: (() => void) | null = null;
let unwatchJobs: (() => void) | null = null;

function openWindow(): void {
  mainWindow = createMainWindow({ preload: PRELOAD_FILE, configDir: config, icon: windowIcon() });
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
}

function openSession(): Session | null {
  const host: Host = {
    mode: 'desktop',
    configDir: config,
    electronVersion: process.versions.electron ?? null,
    dialogs: createDialogProvider(),
    runFileLinks: appRunFileLinks,
  };
  try {
    return Session.open(host, { workspace: workspaceFromArgv(process.argv) });
  } catch (err) {
    const { title, content } = startupErrorText(err);
    console.error(`${title}: ${content}`);
    dialog.showErrorBox(title, content);
    return null;
  }
}

async function start(): Promise<void> {
  await app.whenReady();
  hardenSession(electronSession.defaultSession);
  serveAppProtocol(RENDERER_DIR, () => benchtop);
  benchtop = openSession();
  if (!benchtop) {
    app.exit(1);
    return;
  }
  unbindIpc = bindIpc(benchtop);
  const notice = createJobNoticePolicy();
  unwatchJobs = benchtop.events.subscribe((event) => {
    const told = event.name === 'job.status' ? notice(event.payload as JobInfo) : null;
    if (told) notify({ title: told.title, body: told.body, onClick: () => focusWindow(mainWindow) });
  });
  installMenu(benchtop);
  openWindow();
}

function main(): void {
  app.setName(APP_NAME);
  if (process.platform === 'win32') app.setAppUserModelId('org.benchtop.app');
  // Chromium's profile lives beside settings.json (~/.config/Benchtop, or BENCHTOP_CONFIG_DIR),
  // which also scopes the single-instance lock to it.
  app.setPath('userData', config);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  registerAppScheme();
  app.enableSandbox();

  app.on('second-instance', () => focusWindow(mainWindow));
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (benchtop && BrowserWindow.getAllWindows().length === 0) openWindow();
  });
  app.on('will-quit', () => {
    unbindIpc?.();
    unbindIpc = null;
    unwatchJobs?.();
    unwatchJobs = null;
    benchtop?.close();
    benchtop = null;
  });

  start().catch((err: unknown) => {
    const { title, content } = startupErrorText(err);
    console.error(`${title}: ${content}`);
    dialog.showErrorBox(title, content);
    app.exit(1);
  });
}

main();
