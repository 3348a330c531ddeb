import { create } from 'zustand';
import type { OpName, OpRequest, OpResponse } from '../../../shared/contract';
import { ApiError } from '../../../shared/errors';
import { call, onLink, transport } from '../api/client';
import { DISCONNECTED_MESSAGE } from '../api/httpBridge';

/**
 * `offline`: the server does not answer (it may come back). `disconnected`: it answers but refuses
 * this tab's token — `benchtop serve` was restarted with a new one — which no retry can mend.
 */
export type ConnectionState = 'connecting' | 'online' | 'offline' | 'disconnected';

interface ConnectionStore {
  state: ConnectionState;
  /** Why the last call could not reach Benchtop, when offline or disconnected. */
  reason: string | null;
  transport: typeof transport;
}

export const useConnectionStore = create<ConnectionStore>()(() => ({
  state: 'connecting',
  reason: null,
  transport,
}));

onLink((event) => {
  if (event === 'unauthorized') useConnectionStore.setState({ state: 'disconnected', reason: DISCONNECTED_MESSAGE });
});

/** Job statuses shown now may be stale: nothing tells this page when they change. */
export function statusUnknown(state: ConnectionState): boolean {
  return state === 'offline' || state === 'disconnected';
}

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
    markOnline();
    return value;
  } catch (error) {
    if (unreachable(error)) useConnectionStore.setState({ state: 'offline', reason: (error as ApiError).message });
    else markOnline();
    throw error;
  }
}

function markOnline(): void {
  // A refused token stays refused: no later answer (one sent before the refusal) proves the link again.
  const { state } = useConnectionStore.getState();
  if (state !== 'online' && state !== 'disconnected') useConnectionStore.setState({ state: 'online', reason: null });
}
