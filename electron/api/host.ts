import type { OpParsedRequest, OpResponse } from '../../shared/contract';

/** What the process hosting the handler table can do that plain Node cannot (native dialogs). */
export interface DialogProvider {
  open(request: OpParsedRequest<'dialog.open'>): Promise<OpResponse<'dialog.open'>>;
  save(request: OpParsedRequest<'dialog.save'>): Promise<OpResponse<'dialog.save'>>;
}

/** How the page reaches one file of a run (a report shown in a frame): the host decides the URL. */
export interface RunFileLinks {
  /** `expiresAt` (ISO) when the URL stops working, null when it never does. */
  urlFor(runId: string, relPath: string): { url: string; expiresAt: string | null };
}

export interface Host {
  mode: 'desktop' | 'serve' | 'cli';
  /** Where settings.json lives (see workspace/settings). */
  configDir: string;
  electronVersion: string | null;
  dialogs: DialogProvider | null;
  /** Absent where no page shows run files (the CLI). */
  runFileLinks?: RunFileLinks;
}
