import type { Experiment } from '../../../../shared/schemas/experiments';
import { RUN_STATE_HELP, RUN_STATE_LABEL, RUN_STATE_TONE } from './labels';

/** The transfer state of a MinKNOW run, as a small coloured badge with its meaning on hover. */
export function RunStateBadge({ state }: { state: Experiment['runState'] }) {
  if (!state) return <span className="null">—</span>;
  return (
    <span className={`badge tone-${RUN_STATE_TONE[state]}`} title={RUN_STATE_HELP[state]} data-state={state}>
      {RUN_STATE_LABEL[state]}
    </span>
  );
}
