import { capitalize, statusTone } from '../lib/labels';
import { statusUnknown, useConnectionStore } from '../stores/connectionStore';

const LIVE_STATUSES = new Set(['pending', 'running']);

/** A status; a live one (pending, running) is shown as unknown while Benchtop cannot be reached, as it may have changed. */
export function StatusLabel({ status }: { status: string }) {
  const unknown = useConnectionStore((s) => statusUnknown(s.state)) && LIVE_STATUSES.has(status);
  if (unknown) {
    return (
      <span className="status" data-status-unknown="" title={`Was ${status}; unknown while Benchtop is disconnected`}>
        <span className="status-dot tone-idle" aria-hidden="true" />
        Unknown (disconnected)
      </span>
    );
  }
  return (
    <span className="status">
      <span className={`status-dot tone-${statusTone(status)}`} aria-hidden="true" />
      {capitalize(status)}
    </span>
  );
}
