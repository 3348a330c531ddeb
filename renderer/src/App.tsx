import { useEffect, useRef, type MouseEvent } from 'react';
import { Header } from './components/Header';
import { ReadOnlyBanner } from './components/ReadOnlyBanner';
import { Sidebar } from './components/Sidebar';
import { goKeyListener } from './lib/goKeys';
import { HashProvider, ROUTES, navigate, parseHash, useLocationHash, type Route } from './lib/router';
import { DashboardPage } from './pages/DashboardPage';
import { ExperimentsPage } from './pages/ExperimentsPage';
import { LibrariesPage } from './pages/LibrariesPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { RunsPage } from './pages/RunsPage';
import { ComparePage } from './pages/ComparePage';
import { ReadsPage } from './pages/ReadsPage';
import { SettingsPage } from './pages/SettingsPage';
import { ToolsPage } from './pages/ToolsPage';

function Page({ route }: { route: Route }) {
  switch (route) {
    case 'dashboard':
      return <DashboardPage />;
    case 'libraries':
      return <LibrariesPage />;
    case 'experiments':
      return <ExperimentsPage />;
    case 'runs':
      return <RunsPage />;
    case 'tools':
      return <ToolsPage />;
    case 'settings':
      return <SettingsPage />;
    case 'reads':
      return <ReadsPage />;
    case 'compare':
      return <ComparePage />;
    default:
      return <NotFoundPage />;
  }
}

const TITLES: Record<string, string> = { ...Object.fromEntries(ROUTES.map((r) => [r.id, r.label])), reads: 'Reads', compare: 'Compare runs' };

export function App() {
  const hash = useLocationHash();
  const route = parseHash(hash);
  const mainRef = useRef<HTMLElement>(null);
  const firstRoute = useRef(true);

  // `g` then a page's letter switches pages (see goKeys.ts for why not Alt+digit).
  useEffect(() => {
    const onKey = goKeyListener(navigate);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // On a page change: the title says where we are, and focus moves to the new page's heading.
  useEffect(() => {
    document.title = route === 'not-found' ? 'Not found · Benchtop' : `${TITLES[route]} · Benchtop`;
    if (firstRoute.current) {
      firstRoute.current = false;
      return;
    }
    mainRef.current?.querySelector<HTMLElement>('h1')?.focus({ preventScroll: true });
    mainRef.current?.scrollTo?.({ top: 0 });
  }, [route]);

  // The skip link must not touch the hash: the hash is the route.
  function skipToContent(e: MouseEvent<HTMLAnchorElement>) {
    e.preventDefault();
    const heading = mainRef.current?.querySelector<HTMLElement>('h1');
    (heading ?? mainRef.current)?.focus();
  }

  return (
    <div className="app">
      <a className="skip-link" href="#main" onClick={skipToContent}>
        Skip to content
      </a>
      <Sidebar route={route} />
      <div className="app-column">
        <Header />
        <main id="main" ref={mainRef} tabIndex={-1} className="main">
          <ReadOnlyBanner />
          <HashProvider value={hash}>
            <Page route={route} />
          </HashProvider>
        </main>
      </div>
    </div>
  );
}
