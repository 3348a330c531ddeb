import { ROUTES, type RouteId } from './router';

/**
 * Two-key page shortcuts, as GitHub's: `g` then a page's letter. Alt+digit is the tab switcher of
 * Chromium and Firefox on Linux, Ctrl+digit everywhere, so a single chord would be taken in serve mode.
 */
export const GO_KEYS: Record<RouteId, string> = {
  dashboard: 'd',
  libraries: 'l',
  experiments: 'e',
  runs: 'r',
  tools: 't',
  settings: 's',
};

/** How long after `g` the page letter is awaited. */
const GO_WINDOW_MS = 1500;

/** Keys typed into a field are text, never shortcuts. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

/** A keydown listener that calls `go` for `g` + letter; it keeps the time of the last `g`. */
export function goKeyListener(go: (route: RouteId) => void): (e: KeyboardEvent) => void {
  let pendingSince = -Infinity;
  return (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey || e.defaultPrevented || isTyping(e.target)) return;
    const key = e.key.toLowerCase();
    if (performance.now() - pendingSince <= GO_WINDOW_MS) {
      pendingSince = -Infinity;
      const target = ROUTES.find((r) => GO_KEYS[r.id] === key);
      if (!target) return;
      e.preventDefault();
      go(target.id);
      return;
    }
    if (key === 'g' && !e.shiftKey) pendingSince = performance.now();
  };
}
