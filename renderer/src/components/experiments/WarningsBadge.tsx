import type { ExperimentWarning } from '../../../../shared/schemas/experiments';

/** How many things are wrong in the run's own files, with the messages on hover (the detail page lists them). */
export function WarningsBadge({ warnings }: { warnings: readonly ExperimentWarning[] }) {
  if (warnings.length === 0) return null;
  return (
    <span className="badge tone-warn" title={warnings.map((w) => w.message).join('\n')} data-testid="exp-warnings-badge">
      {warnings.length === 1 ? '1 warning' : `${warnings.length} warnings`}
    </span>
  );
}
