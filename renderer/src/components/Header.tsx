import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { DISCONNECTED_MESSAGE } from '../api/httpBridge';
import { useConnectionStore } from '../stores/connectionStore';
import { useSystemStore } from '../stores/systemStore';

const HEARTBEAT_MS = 15_000;

const STATE_LABEL = { connecting: 'Connecting…', online: 'Connected', offline: 'Disconnected', disconnected: DISCONNECTED_MESSAGE } as const;

function ConnectionIndicator() {
  const { state, reason, transport } = useConnectionStore(useShallow((s) => ({ state: s.state, reason: s.reason, transport: s.transport })));
  const via = transport === 'ipc' ? 'desktop app' : 'browser bridge';
  const title = state === 'offline' || state === 'disconnected' ? (reason ?? 'Benchtop does not answer.') : `${STATE_LABEL[state]} via the ${via}`;
  return (
    <div className={`connection state-${state}`} role="status" title={title} data-testid="connection">
      <span className="connection-dot" aria-hidden="true" />
      <span className="connection-label">{STATE_LABEL[state]}</span>
      <span className="connection-via">{transport === 'ipc' ? 'desktop' : 'browser'}</span>
    </div>
  );
}

export function Header() {
  const workspace = useSystemStore((s) => s.workspace);
  const loadWorkspace = useSystemStore((s) => s.loadWorkspace);

  // A cheap heartbeat on every page: keeps the path and the connection indicator current.
  useEffect(() => {
    const timer = setInterval(() => {
      if (!document.hidden) void loadWorkspace();
    }, HEARTBEAT_MS);
    return () => clearInterval(timer);
  }, [loadWorkspace]);

  return (
    <header className="app-header">
      <div className="header-workspace">
        <span className="header-label">Workspace</span>
        <span className="header-path mono" data-testid="header-workspace" title={workspace?.path}>
          {workspace?.path ?? '…'}
        </span>
      </div>
      <ConnectionIndicator />
    </header>
  );
}
