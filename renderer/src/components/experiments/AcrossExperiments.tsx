import { useState } from 'react';
import type { ApiErrorBody } from '../../../../shared/errors';
import type { Experiment } from '../../../../shared/schemas/experiments';
import { QUERY_METRICS, type QueryMetric, type QueryRow } from '../../../../shared/schemas/reads';
import { toErrorBody } from '../../lib/errors';
import { request } from '../../stores/connectionStore';
import { Card } from '../Card';
import { DataTable } from '../DataTable';
import { EmptyState, ErrorNotice } from '../Notice';

const METRIC_LABELS: Record<QueryMetric, string> = {
  reads: 'Reads',
  bases: 'Bases',
  mean_qbc: 'Mean q_bc',
  mean_ed: 'Mean edit distance',
  mean_qld: 'Mean q_ld',
  assigned_fraction: 'Fraction assigned to a reference',
  signal_positive_fraction: 'signal_positive fraction',
  reads_by_end_reason: 'Reads by end reason',
  reads_by_ref: 'Reads by reference',
};

const MAX_EXPERIMENTS = 10;

function formatValue(metric: QueryMetric, value: number | null): string {
  if (value === null) return '—';
  if (metric.endsWith('_fraction')) return `${(value * 100).toFixed(1)} %`;
  return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(2);
}

/** One metric of every basecall run of several experiments, side by side (their SMA databases attached read-only). */
export function AcrossExperiments({ experiments }: { experiments: Experiment[] }) {
  const candidates = experiments.filter((e) => e.basecallRuns > 0);
  const [chosen, setChosen] = useState<string[]>([]);
  const [metric, setMetric] = useState<QueryMetric>('mean_qbc');
  const [result, setResult] = useState<{ metric: QueryMetric; rows: QueryRow[]; missing: string[] } | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [busy, setBusy] = useState(false);

  if (candidates.length < 2) return null;

  function toggle(expId: string, on: boolean) {
    setChosen((c) => (on ? [...c, expId] : c.filter((x) => x !== expId)));
  }

  async function run() {
    setBusy(true);
    setError(null);
    try {
      setResult(await request('reads.query', { expIds: chosen, metric }));
    } catch (err) {
      setError(toErrorBody(err));
    } finally {
      setBusy(false);
    }
  }

  const grouped = result ? result.metric.startsWith('reads_by_') : false;
  return (
    <Card title="Across experiments" span={2}>
      <form
        className="form"
        aria-label="Across experiments"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <fieldset className="fieldset">
          <legend className="field-label">Experiments (up to {MAX_EXPERIMENTS}, with their basecall runs)</legend>
          <div className="check-list">
            {candidates.map((e) => (
              <label key={e.expId} className="checkbox">
                <input
                  type="checkbox"
                  checked={chosen.includes(e.expId)}
                  disabled={!chosen.includes(e.expId) && chosen.length >= MAX_EXPERIMENTS}
                  onChange={(ev) => toggle(e.expId, ev.target.checked)}
                  data-testid={`across-${e.expId}`}
                />{' '}
                <span className="mono">{e.flowCellId ?? e.expId}</span> <span className="muted small">{e.sampleId ?? ''}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <div className="input-row">
          <select className="input" value={metric} onChange={(e) => setMetric(e.target.value as QueryMetric)} aria-label="Metric" data-testid="across-metric">
            {QUERY_METRICS.map((m) => (
              <option key={m} value={m}>
                {METRIC_LABELS[m]}
              </option>
            ))}
          </select>
          <button type="submit" className="button primary" disabled={busy || chosen.length === 0} data-testid="across-run">
            {busy ? 'Querying…' : 'Compare'}
          </button>
        </div>
      </form>
      {error ? <ErrorNotice error={error} compact /> : null}
      {result && result.missing.length > 0 ? <p className="small muted">No reads database yet: {result.missing.join(', ')}.</p> : null}
      {result && result.rows.length === 0 ? <EmptyState>No basecall run of these experiments has been ingested.</EmptyState> : null}
      {result && result.rows.length > 0 ? (
        <DataTable
          testId="across-table"
          caption={`${METRIC_LABELS[result.metric]} across experiments`}
          rowKey={(r) => `${r.expId}/${r.runId}/${r.group ?? ''}`}
          rows={result.rows}
          columns={[
            { key: 'expId', header: 'Experiment', mono: true },
            { key: 'runId', header: 'Basecall run', mono: true },
            ...(grouped ? [{ key: 'group' as const, header: result.metric === 'reads_by_ref' ? 'Reference' : 'End reason', mono: true }] : []),
            { key: 'value', header: METRIC_LABELS[result.metric], numeric: true, render: (r: QueryRow) => formatValue(result.metric, r.value) },
          ]}
        />
      ) : null}
    </Card>
  );
}
