import type { BenchtopBridge, EventName, EventPayload, OpName, OpRequest, OpResponse } from '../../../shared/contract';
import { ApiError } from '../../../shared/errors';
import { createHttpBridge, type LinkEvent } from './httpBridge';
import { retryWhileBusy } from './retry';

declare global {
  interface Window {
    /** Set by Electron's preload; absent in a plain browser. */
    benchtop?: BenchtopBridge;
    /** Set by Electron's preload: where a dropped file lives on disk. */
    benchtopFiles?: { pathFor(file: File): string };
  }
}

/** The renderer's one API client: Electron's preload bridge when present, else HTTP to `benchtop serve`. */
const http = window.benchtop ? null : createHttpBridge();
const bridge: BenchtopBridge = window.benchtop ?? (http as BenchtopBridge);

export const transport: 'ipc' | 'http' = window.benchtop ? 'ipc' : 'http';

/**
 * Call an operation; resolves with its value or rejects with an ApiError (code + message). A busy
 * database (another Benchtop writing a large import) is asked again a few times before that.
 */
export async function call<K extends OpName>(op: K, request: OpRequest<K>): Promise<OpResponse<K>> {
  const result = await retryWhileBusy(() => bridge.invoke(op, request));
  if (!result.ok) throw new ApiError(result.error.code, result.error.message);
  return result.value;
}

/**
 * The browser bridge's link: `reconnected` after its event stream dropped and came back (events in
 * between were missed: views re-read what they show), `unauthorized` once the server refuses the
 * token. Electron's IPC has neither.
 */
export function onLink(listener: (event: LinkEvent) => void): () => void {
  return http ? http.onLink(listener) : () => undefined;
}

export function subscribe<K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void): () => void {
  return bridge.on(event, listener);
}

/** The path of a file dropped on the page; null in a browser, which does not reveal it. */
export function pathOfDroppedFile(file: File): string | null {
  return window.benchtopFiles?.pathFor(file) || null;
}
