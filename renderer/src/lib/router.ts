import { createContext, useContext, useSyncExternalStore } from 'react';

/** The pages, in the order of the navigation (`g` + a letter switches to one: lib/goKeys.ts). */
export const ROUTES = [
  { id: 'dashboard', label: 'Dashboard' },
  { id: 'libraries', label: 'Libraries' },
  { id: 'experiments', label: 'Experiments' },
  { id: 'runs', label: 'Runs' },
  { id: 'tools', label: 'Tools' },
  { id: 'settings', label: 'Settings' },
] as const;

export type RouteId = (typeof ROUTES)[number]['id'];
/** Pages reached by links, not in the navigation: `#/reads/<basecall run>`, `#/compare/<experiment>`. */
export const LINKED_ROUTES = ['reads', 'compare'] as const;
export type LinkedRouteId = (typeof LINKED_ROUTES)[number];
export type Route = RouteId | LinkedRouteId | 'not-found';

export const DEFAULT_ROUTE: RouteId = 'dashboard';

export function href(route: RouteId): string {
  return `#/${route}`;
}

/**
 * `#/settings` → settings. The hash works the same under Electron's app://benchtop/ and under
 * http://127.0.0.1:port/, and needs nothing from the server. An empty hash is the Dashboard.
 */
export function parseHash(hash: string): Route {
  const path = hash.replace(/^#\/?/, '').split(/[?/]/)[0] ?? '';
  if (path === '') return DEFAULT_ROUTE;
  return ROUTES.find((r) => r.id === path)?.id ?? LINKED_ROUTES.find((r) => r === path) ?? 'not-found';
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

function snapshot(): string {
  return window.location.hash;
}

/**
 * The hash, read once by App and handed down. Were each page to subscribe to hashchange itself, a
 * page could see the next route's id before App replaced the page (children subscribe first), and
 * ask for it as an id of its own kind: a run page asking for a basecall run's id.
 */
const HashContext = createContext('');
export const HashProvider = HashContext.Provider;

/** For App alone: the location's hash, followed. */
export function useLocationHash(): string {
  return useSyncExternalStore(subscribe, snapshot);
}

/** The part after the page, e.g. `#/runs/<id>` → `<id>` (decoded), or null. */
export function parseHashParam(hash: string): string | null {
  const rest = hash.replace(/^#\/?/, '').split('?')[0] ?? '';
  const parts = rest.split('/');
  if (parts.length < 2 || !parts[1]) return null;
  try {
    return decodeURIComponent(parts[1]);
  } catch {
    return parts[1];
  }
}

export function useRouteParam(): string | null {
  return parseHashParam(useContext(HashContext));
}

export function runHref(id: string): string {
  return `#/runs/${encodeURIComponent(id)}`;
}

export function libraryHref(id: string): string {
  return `#/libraries/${encodeURIComponent(id)}`;
}

export function readsHref(basecallRunId: string): string {
  return `#/reads/${encodeURIComponent(basecallRunId)}`;
}

export function compareHref(expId: string): string {
  return `#/compare/${encodeURIComponent(expId)}`;
}

export function navigate(route: RouteId): void {
  window.location.hash = `/${route}`;
}

export function openRun(id: string): void {
  window.location.hash = runHref(id).slice(1);
}
