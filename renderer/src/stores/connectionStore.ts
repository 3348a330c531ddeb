import { create } from 'zustand';
import type { OpName, OpRequest, OpResponse } from '../../../shared/contract';
import { ApiError } from '../../../shared/errors';
import { call, transport } from '../api/client';

export type ConnectionState = 'connecting' | 'online' | 'offline';

interface ConnectionStore {
  state: ConnectionState;
  /** Why the last call could not reach Benchtop, when offline. */
  reason: string | null;
  transport: typeof transport;
}

export const useConnectionStore = create<ConnectionStore>()(() => ({
  state: 'connecting',
  reason: null,
  transport,
}));

/**
 * Whether an error means the other side never answered (as opposed to answering "no"). Only the
 * HTTP transport can lose its server; it reports that as an io_error saying the server did not answer.
 */
function unreachable(error: unknown): boolean {
  return transport === 'http' && error instanceof ApiError && error.code === 'io_error' && /did not answer/.test(error.message);
}

/** `call`, keeping the header's connection indicator honest: every answer, even an error, proves the link. */
export async function request<K extends OpName>(op: K, req: OpRequest<K>): Promise<OpResponse<K>> {
  try {
    const value = await call(op, req);
    if (useConnectionStore.getState().state !== 'online') useConnectionStore.setState({ state: 'online', reason: null });
    return value;
  } catch (error) {
    if (unreachable(error)) useConnectionStore.setState({ state: 'offline', reason: (error as ApiError).message });
    else if (useConnectionStore.getState().state !== 'online') useConnectionStore.setState({ state: 'online', reason: null });
    throw error;
  }
}
