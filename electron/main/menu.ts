import { app, BrowserWindow, dialog, Menu, type MenuItemConstructorOptions } from 'electron';
import type { Session } from '../api/session';
import { APP_NAME, APP_VERSION } from '../system/version';

function focused(): BrowserWindow | undefined {
  return BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
}

/** File → Open Workspace…: pick a folder, then switch through the same operation the renderer uses. */
async function openWorkspace(session: Session): Promise<void> {
  const win = focused();
  const options = {
    title: 'Open Workspace',
    buttonLabel: 'Open Workspace',
    defaultPath: session.workspace.layout.path,
    properties: ['openDirectory', 'createDirectory'] as Array<'openDirectory' | 'createDirectory'>,
  };
  const picked = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  const dir = picked.filePaths[0];
  if (picked.canceled || !dir) return;
  // `workspace.switch` refuses a non-empty foreign folder, calls session.switchWorkspace (which
  // tells the renderer through `workspace.changed`) and remembers the choice in settings.json.
  const result = await session.dispatch('workspace.switch', { path: dir });
  if (!result.ok) {
    const box = { type: 'error' as const, title: 'Open Workspace', message: 'Benchtop could not open this workspace.', detail: result.error.message };
    if (win) await dialog.showMessageBox(win, box);
    else await dialog.showMessageBox(box);
  }
}

async function showAbout(session: Session): Promise<void> {
  const win = focused();
  const box = {
    type: 'info' as const,
    title: `About ${APP_NAME}`,
    message: `${APP_NAME} ${APP_VERSION}`,
    detail: [
      'An offline workbench for the sequencing lab bench.',
      '',
      `Electron ${process.versions.electron ?? '?'} · Chromium ${process.versions.chrome ?? '?'} · Node ${process.versions.node}`,
      `Workspace: ${session.workspace.layout.path}`,
    ].join('\n'),
    buttons: ['OK'],
  };
  if (win) await dialog.showMessageBox(win, box);
  else await dialog.showMessageBox(box);
}

/** The native menu bar: File, Edit, View, Window, Help (plus the app menu on macOS). */
export function installMenu(session: Session): void {
  const isMac = process.platform === 'darwin';
  const about: MenuItemConstructorOptions = { label: `About ${APP_NAME}`, click: () => void showAbout(session) };
  const template: MenuItemConstructorOptions[] = [
    ...(isMac
      ? [
          {
            label: APP_NAME,
            submenu: [about, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }],
          } satisfies MenuItemConstructorOptions,
        ]
      : []),
    {
      label: '&File',
      submenu: [
        { label: 'Open Workspace…', accelerator: 'CmdOrCtrl+O', click: () => void openWorkspace(session) },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit', label: 'Quit', accelerator: 'CmdOrCtrl+Q' },
      ],
    },
    {
      label: '&Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'delete' },
        { type: 'separator' },
        { role: 'selectAll' },
      ],
    },
    {
      label: '&View',
      submenu: [
        { role: 'reload' },
        { role: 'forceReload' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' } satisfies MenuItemConstructorOptions]),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: '&Window',
      submenu: isMac
        ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }]
        : [{ role: 'minimize' }, { role: 'close' }],
    },
    {
      label: '&Help',
      role: 'help',
      submenu: [about],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
