import { GO_KEYS } from '../lib/goKeys';
import { ROUTES, href, type Route } from '../lib/router';
import { useSystemStore } from '../stores/systemStore';
import { Logo, NavIcon } from './Icons';

/** The navigation rail: real links (Tab, Enter, middle-click all work), the current one marked. */
export function Sidebar({ route }: { route: Route }) {
  const info = useSystemStore((s) => s.info);
  return (
    <aside className="sidebar">
      <div className="brand">
        <Logo />
        <span className="brand-name">Benchtop</span>
      </div>
      <nav aria-label="Main">
        <ul className="nav-list">
          {ROUTES.map((r) => (
            <li key={r.id}>
              <a className="nav-link" href={href(r.id)} aria-current={route === r.id ? 'page' : undefined}>
                <NavIcon route={r.id} />
                <span className="nav-label">{r.label}</span>
                <kbd className="nav-key" aria-hidden="true">
                  g {GO_KEYS[r.id]}
                </kbd>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div className="sidebar-footer">{info ? `${info.name} ${info.version} · ${info.deploymentMode}` : '\u00a0'}</div>
    </aside>
  );
}
