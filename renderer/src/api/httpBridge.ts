import type { BenchtopBridge, EventName } from '../../../shared/contract';
import type { ApiResult } from '../../../shared/errors';

type Listener = (payload: unknown) => void;

/** What the event stream and the answers say about the link to `benchtop serve`. */
export type LinkEvent = 'reconnected' | 'unauthorized';

/** The header's words when the server no longer takes this tab's token (it was restarted, or stopped for good). */
export const DISCONNECTED_MESSAGE = 'Disconnected — open the new address that `benchtop serve` printed';

const TOKEN_HEADER = 'X-Benchtop-Token';
const TOKEN_KEY = 'benchtop.token';
const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 10_000;

/**
 * The printed address carries the token in its fragment (`#token=…`), which the browser never sends
 * to a server. It moves into this tab's sessionStorage and out of the address bar (so it is neither
 * bookmarked nor shared by a copied URL); the app then starts on the Dashboard.
 */
export function takeToken(): string | null {
  const match = /^#token=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, match[1]);
    window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

/**
 * The browser transport (`benchtop serve`): operations are POSTs to /api/op/<name>, events arrive
 * over one long response read as a stream (an EventSource could not send the token header). Every
 * request carries the token in the X-Benchtop-Token header; nothing is kept in a cookie, which the
 * browser would send to every other server on 127.0.0.1 as well.
 */
export function createHttpBridge(): BenchtopBridge & { onLink(listener: (event: LinkEvent) => void): () => void } {
  const token = takeToken() ?? '';
  // The new address pasted into this tab after a restart changes only the fragment, which reloads
  // nothing: take its token and start afresh, so every request and the event stream use it.
  window.addEventListener('hashchange', () => {
    if (!window.location.hash.startsWith('#token=')) return;
    takeToken();
    window.location.reload();
  });
  const listeners = new Map<EventName, Set<Listener>>();
  const linkListeners = new Set<(event: LinkEvent) => void>();
  let streaming = false;
  let refused = false;

  function link(event: LinkEvent): void {
    if (event === 'unauthorized') {
      if (refused) return;
      refused = true;
    }
    for (const listener of linkListeners) listener(event);
  }

  function deliver(frame: string): void {
    const data = frame
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => line.slice(6))
      .join('\n');
    if (!data) return; // a comment (": ping")
    const event = JSON.parse(data) as { name: EventName; payload: unknown };
    for (const listener of listeners.get(event.name) ?? []) listener(event.payload);
  }

  /** Read the event stream; when it drops, reconnect with backoff (the views then catch up from the logs). */
  async function stream(): Promise<void> {
    let delay = RETRY_FIRST_MS;
    let connectedBefore = false;
    while (!refused) {
      try {
        const res = await fetch('api/events', { headers: { [TOKEN_HEADER]: token }, cache: 'no-store' });
        if (res.status === 401) {
          link('unauthorized');
          return;
        }
        if (!res.ok || !res.body) throw new Error(`the event stream answered ${res.status}`);
        if (connectedBefore) link('reconnected');
        connectedBefore = true;
        delay = RETRY_FIRST_MS;
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          for (let cut = buffer.indexOf('\n\n'); cut >= 0; cut = buffer.indexOf('\n\n')) {
            deliver(buffer.slice(0, cut));
            buffer = buffer.slice(cut + 2);
          }
        }
      } catch {
        // The server went away or cut this tab off (it read too slowly): try again below.
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, RETRY_MAX_MS);
    }
  }

  return {
    async invoke(op, request) {
      try {
        const res = await fetch(`api/op/${encodeURIComponent(op)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', [TOKEN_HEADER]: token },
          body: JSON.stringify(request ?? {}),
          credentials: 'omit',
        });
        if (res.status === 401) {
          link('unauthorized');
          return { ok: false, error: { code: 'io_error', message: `${DISCONNECTED_MESSAGE}.` } };
        }
        return (await res.json()) as ApiResult<never>;
      } catch (err) {
        return { ok: false, error: { code: 'io_error', message: `Benchtop's server did not answer (${String(err)}). Is \`benchtop serve\` still running?` } };
      }
    },
    on(event, listener) {
      if (!streaming) {
        streaming = true;
        void stream();
      }
      const set = listeners.get(event) ?? new Set<Listener>();
      set.add(listener as Listener);
      listeners.set(event, set);
      return () => set.delete(listener as Listener);
    },
    onLink(listener) {
      linkListeners.add(listener);
      return () => linkListeners.delete(listener);
    },
  };
}
