import type { RouteId } from '../lib/router';

/** Small stroke icons for the navigation (decorative: the links carry their text). */
const PATHS: Record<RouteId, string> = {
  dashboard: 'M3 3h6v8H3zM11 3h6v5h-6zM11 10h6v7h-6zM3 13h6v4H3z',
  libraries: 'M3.5 3.5h3v13h-3zM8.5 3.5h3v13h-3zM13 4.6l2.8-.8 3 12.2-2.8.8z',
  experiments: 'M8 3v5l-4.5 8A1 1 0 0 0 4.4 17.5h11.2a1 1 0 0 0 .9-1.5L12 8V3M7 3h6M6 12h8',
  runs: 'M4 4h12M4 10h12M4 16h7M14 14l3 2-3 2z',
  tools: 'M12.5 3.5a3.5 3.5 0 0 0-3.3 4.6L3.5 13.8a1.4 1.4 0 0 0 2 2l5.7-5.7a3.5 3.5 0 0 0 4.6-3.3l-2 2-2-.5-.5-2z',
  settings: 'M10 7.2a2.8 2.8 0 1 0 0 5.6 2.8 2.8 0 0 0 0-5.6zM10 2.5v2M10 15.5v2M2.5 10h2M15.5 10h2M4.7 4.7l1.4 1.4M13.9 13.9l1.4 1.4M4.7 15.3l1.4-1.4M13.9 6.1l1.4-1.4',
};

export function NavIcon({ route }: { route: RouteId }) {
  return (
    <svg className="nav-icon" viewBox="0 0 20 20" width="16" height="16" aria-hidden="true" focusable="false">
      <path d={PATHS[route]} fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

export function Logo() {
  return (
    <svg className="logo" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
      <rect x="1" y="1" width="22" height="22" rx="5" fill="var(--accent)" />
      <path d="M7 6v12M7 6h6a3 3 0 0 1 0 6H7M7 12h7a3 3 0 0 1 0 6H7" fill="none" stroke="var(--on-accent)" strokeWidth="1.8" strokeLinejoin="round" />
    </svg>
  );
}
