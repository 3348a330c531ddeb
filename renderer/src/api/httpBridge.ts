import type { BenchtopBridge, EventName } from '../../../shared/contract';
import type { ApiResult } from '../../../shared/errors';

type Listener = (payload: unknown) => void;

/**
 * The browser transport (`benchtop serve`): operations are POSTs to /api/op/<name>, events arrive
 * over one server-sent-events stream. The token travels as the HttpOnly cookie the server set.
 */
export function createHttpBridge(): BenchtopBridge {
  const listeners = new Map<EventName, Set<Listener>>();
  let source: EventSource | null = null;

  function connect(): void {
    if (source) return;
    source = new EventSource('api/events');
    source.onmessage = (msg) => {
      const event = JSON.parse(msg.data as string) as { name: EventName; payload: unknown };
      for (const listener of listeners.get(event.name) ?? []) listener(event.payload);
    };
  }

  return {
    async invoke(op, request) {
      try {
        const res = await fetch(`api/op/${encodeURIComponent(op)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(request ?? {}),
          credentials: 'same-origin',
        });
        return (await res.json()) as ApiResult<never>;
      } catch (err) {
        return { ok: false, error: { code: 'io_error', message: `Benchtop's server did not answer (${String(err)}). Is \`benchtop serve\` still running?` } };
      }
    },
    on(event, listener) {
      connect();
      const set = listeners.get(event) ?? new Set<Listener>();
      set.add(listener as Listener);
      listeners.set(event, set);
      return () => set.delete(listener as Listener);
    },
  };
}
