import { capitalize, statusTone } from '../lib/labels';

export function StatusLabel({ status }: { status: string }) {
  return (
    <span className="status">
      <span className={`status-dot tone-${statusTone(status)}`} aria-hidden="true" />
      {capitalize(status)}
    </span>
  );
}
