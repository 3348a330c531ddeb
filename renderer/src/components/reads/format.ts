import type { QcCheck } from '../../../../shared/schemas/reads';
import { formatCount } from '../../lib/labels';

/** A number for the reads pages: counts grouped, fractions as %, others to a few decimals; null as —. */
export function formatNumber(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (Number.isInteger(v)) return formatCount(v);
  return v.toLocaleString('en-US', { maximumFractionDigits: digits });
}

export function formatPercent(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  return `${(v * 100).toLocaleString('en-US', { maximumFractionDigits: 2 })} %`;
}

/** A QC figure or threshold in its check's unit. */
export function formatCheckValue(check: QcCheck, v: number | null): string {
  if (check.unit === 'fraction') return formatPercent(v);
  if (check.unit === 'bp') return v === null ? '—' : `${formatNumber(Math.round(v))} bp`;
  return formatNumber(v);
}
