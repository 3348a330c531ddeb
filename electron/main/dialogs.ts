import { BrowserWindow, dialog, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import type { DialogProvider } from '../api/host';

/** The window a dialog belongs to: the focused one, else the first. */
function parentWindow(): BrowserWindow | undefined {
  return BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
}

/** Native open/save dialogs for the `dialog.open` and `dialog.save` operations. */
export function createDialogProvider(): DialogProvider {
  return {
    async open(request) {
      const properties: OpenDialogOptions['properties'] =
        request.kind === 'folder' ? ['openDirectory', 'createDirectory'] : ['openFile'];
      if (request.multiple) properties.push('multiSelections');
      const options: OpenDialogOptions = {
        title: request.title,
        defaultPath: request.defaultPath,
        filters: request.kind === 'file' ? request.filters : undefined,
        properties,
      };
      const win = parentWindow();
      const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return { paths: result.canceled ? [] : result.filePaths };
    },
    async save(request) {
      const options: SaveDialogOptions = {
        title: request.title,
        defaultPath: request.defaultPath,
        filters: request.filters,
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      };
      const win = parentWindow();
      const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      return { path: result.canceled || !result.filePath ? null : result.filePath };
    },
  };
}
