import type { Experiment } from '../../../../shared/schemas/experiments';

export function experimentHref(expId: string): string {
  return `#/experiments/${encodeURIComponent(expId)}`;
}

/** The results browser's page of a basecall run (another part of Benchtop). */
export function readsHref(runId: string): string {
  return `#/reads/${encodeURIComponent(runId)}`;
}

export const RUN_STATE_LABEL: Record<NonNullable<Experiment['runState']>, string> = {
  complete: 'Complete',
  incomplete_transfer: 'Incomplete transfer',
  in_progress: 'In progress',
  interrupted: 'Interrupted',
};

export const RUN_STATE_HELP: Record<NonNullable<Experiment['runState']>, string> = {
  complete: 'final_summary is there and every POD5 file it lists is on disk.',
  incomplete_transfer: 'final_summary lists more POD5 files than are on disk: the copy from the sequencer stopped short.',
  in_progress: 'No final_summary yet, and its files changed in the last hour: MinKNOW is probably still writing.',
  interrupted: 'No final_summary, and nothing changed for over an hour: the run stopped before MinKNOW finished it.',
};

export const RUN_STATE_TONE: Record<NonNullable<Experiment['runState']>, 'ok' | 'warn' | 'active' | 'bad'> = {
  complete: 'ok',
  incomplete_transfer: 'bad',
  in_progress: 'active',
  interrupted: 'warn',
};
