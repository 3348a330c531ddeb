/**
 * QC verdict rules, independent of any database. For a "higher is better" figure with a minimum
 * and a target: below the minimum fails, from the minimum up to (not including) the target warns,
 * at or above the target passes. For a "lower is better" figure (error rate, unblock fraction)
 * with a maximum and a target: above the maximum fails, above the target warns, at or below the
 * target passes. With only one bound set, the figure passes or fails against it (a lone target
 * warns when missed); with none, it is shown but not graded.
 */
import type { QcCheck, Verdict } from '../../shared/schemas/reads';

export const THRESHOLD_COLUMNS = [
  'min_mean_qscore',
  'min_median_qscore',
  'target_qscore',
  'min_purity',
  'target_purity',
  'max_error_rate',
  'target_error_rate',
  'min_n50',
  'target_n50',
  'min_signal_positive',
  'max_unblock',
  'min_reads',
  'target_reads',
  'min_bases',
  'target_bases',
] as const;
export type ThresholdColumn = (typeof THRESHOLD_COLUMNS)[number];
export type Thresholds = Record<ThresholdColumn, number | null>;

/** lib_qc_thresholds' column defaults in seed 000, used where a column is NULL or the spec has no row. */
export const SEED_DEFAULTS: Partial<Record<ThresholdColumn, number>> = {
  min_mean_qscore: 10,
  min_median_qscore: 12,
  target_qscore: 20,
  min_purity: 0.8,
  target_purity: 0.95,
  max_error_rate: 0.1,
  target_error_rate: 0.02,
};

/** The thresholds to grade with, and which columns fell back to the seed's defaults. */
export function withDefaults(row: Partial<Record<ThresholdColumn, number | null>> | undefined): { thresholds: Thresholds; defaultsUsed: string[] } {
  const defaultsUsed: string[] = [];
  const thresholds = {} as Thresholds;
  for (const column of THRESHOLD_COLUMNS) {
    const value = row?.[column];
    if (value !== null && value !== undefined) thresholds[column] = value;
    else {
      const fallback = SEED_DEFAULTS[column];
      if (fallback !== undefined) defaultsUsed.push(column);
      thresholds[column] = fallback ?? null;
    }
  }
  return { thresholds, defaultsUsed };
}

export function grade(better: 'higher' | 'lower', measured: number | null, bound: number | null, target: number | null): Verdict | null {
  if (measured === null || (bound === null && target === null)) return null;
  if (better === 'higher') {
    if (bound !== null && measured < bound) return 'fail';
    if (target !== null && measured < target) return 'warn';
    return 'pass';
  }
  if (bound !== null && measured > bound) return 'fail';
  if (target !== null && measured > target) return 'warn';
  return 'pass';
}

export interface Measured {
  meanQ: number | null;
  medianQ: number | null;
  /** Reads assigned to an expected construct / all reads. */
  purity: number | null;
  /** Mean of ed / L over assigned reads with an edit distance. */
  errorRate: number | null;
  n50: number | null;
  reads: number;
  bases: number;
  signalPositive: number | null;
  unblock: number | null;
}

export function evaluate(m: Measured, t: Thresholds): QcCheck[] {
  const check = (id: string, label: string, better: 'higher' | 'lower', measured: number | null, bound: number | null, target: number | null, unit?: string): QcCheck => ({
    id,
    label,
    better,
    measured,
    min: better === 'higher' ? bound : null,
    max: better === 'lower' ? bound : null,
    target,
    ...(unit ? { unit } : {}),
    verdict: grade(better, measured, bound, target),
  });
  return [
    check('mean_q', 'Mean Q (q_bc)', 'higher', m.meanQ, t.min_mean_qscore, t.target_qscore),
    check('median_q', 'Median Q (q_bc)', 'higher', m.medianQ, t.min_median_qscore, t.target_qscore),
    check('purity', 'Purity (expected constructs)', 'higher', m.purity, t.min_purity, t.target_purity, 'fraction'),
    check('error_rate', 'Error rate (ed / reference length)', 'lower', m.errorRate, t.max_error_rate, t.target_error_rate, 'fraction'),
    check('n50', 'Read N50', 'higher', m.n50, t.min_n50, t.target_n50, 'bp'),
    check('reads', 'Reads', 'higher', m.reads, t.min_reads, t.target_reads),
    check('bases', 'Bases', 'higher', m.bases, t.min_bases, t.target_bases, 'bp'),
    check('signal_positive', 'signal_positive fraction', 'higher', m.signalPositive, t.min_signal_positive, null, 'fraction'),
    check('unblock', 'Unblock fraction (rejected end reasons)', 'lower', m.unblock, t.max_unblock, null, 'fraction'),
  ];
}

const RANK: Record<Verdict, number> = { pass: 0, warn: 1, fail: 2 };

/** The worst graded check, or null when none was graded. */
export function overall(checks: readonly QcCheck[]): Verdict | null {
  let worst: Verdict | null = null;
  for (const c of checks) if (c.verdict && (worst === null || RANK[c.verdict] > RANK[worst])) worst = c.verdict;
  return worst;
}

/** N50 from (length, count) pairs sorted by length descending: the length at which half the bases are reached. */
export function n50(lengthCounts: readonly { len: number; n: number }[]): number | null {
  const total = lengthCounts.reduce((s, r) => s + r.len * r.n, 0);
  if (total === 0) return null;
  let sum = 0;
  for (const r of lengthCounts) {
    sum += r.len * r.n;
    if (sum * 2 >= total) return r.len;
  }
  return null;
}
