import type { OpParsedRequest, OpResponse } from '../../shared/contract';

/** What the process hosting the handler table can do that plain Node cannot (native dialogs). */
export interface DialogProvider {
  open(request: OpParsedRequest<'dialog.open'>): Promise<OpResponse<'dialog.open'>>;
  save(request: OpParsedRequest<'dialog.save'>): Promise<OpResponse<'dialog.save'>>;
}

export interface Host {
  mode: 'desktop' | 'serve' | 'cli';
  /** Where settings.json lives (see workspace/settings). */
  configDir: string;
  electronVersion: string | null;
  dialogs: DialogProvider | null;
}
