import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ApiErrorBody } from '../../../shared/errors';
import { RUN_STATES, type Experiment, type RunState } from '../../../shared/schemas/experiments';
import { Card } from '../components/Card';
import { EmptyState, ErrorNotice } from '../components/Notice';
import { PageHeader } from '../components/PageHeader';
import { PendingSma } from '../components/PendingSma';
import { AcrossExperiments } from '../components/experiments/AcrossExperiments';
import { DiscoverPanel } from '../components/experiments/DiscoverPanel';
import { ExperimentsTable } from '../components/experiments/ExperimentsTable';
import { RUN_STATE_LABEL } from '../components/experiments/labels';
import { toErrorBody } from '../lib/errors';
import { plural } from '../lib/labels';
import { useRouteParam } from '../lib/router';
import { request } from '../stores/connectionStore';
import { ExperimentDetailPage } from './ExperimentDetailPage';

export function ExperimentsPage() {
  const id = useRouteParam();
  if (id) return <ExperimentDetailPage key={id} expId={id} />;
  return <ExperimentsListPage />;
}

function ExperimentsListPage() {
  const [search, setSearch] = useState('');
  const [state, setState] = useState<RunState | ''>('');
  const [experiments, setExperiments] = useState<Experiment[] | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);

  const load = useCallback(async () => {
    try {
      setExperiments(await request('experiments.list', search.trim() ? { search: search.trim() } : {}));
      setError(null);
    } catch (err) {
      setError(toErrorBody(err));
    }
  }, [search]);

  useEffect(() => {
    const timer = setTimeout(() => void load(), 150);
    return () => clearTimeout(timer);
  }, [load]);

  const shown = useMemo(() => (experiments && state ? experiments.filter((e) => e.runState === state) : experiments), [experiments, state]);
  const filtered = search.trim() !== '' || state !== '';

  return (
    <>
      <PageHeader
        title="Experiments"
        description="The runs that came off the sequencer: found in MinKNOW's output folders, each with its flow cell, sample, kit, POD5 files and basecall runs."
      />
      {error ? <ErrorNotice error={error} /> : null}
      <div className="experiments-layout">
        <DiscoverPanel onChanged={load} />
        <Card
          title="Experiments"
          flush
          actions={
            <div className="filters">
              <select className="input" value={state} onChange={(e) => setState(e.target.value as RunState | '')} aria-label="Run state" data-testid="experiments-state">
                <option value="">All states</option>
                {RUN_STATES.map((s) => (
                  <option key={s} value={s}>
                    {RUN_STATE_LABEL[s]}
                  </option>
                ))}
              </select>
              <input className="input" type="search" placeholder="Search id, sample, flow cell, folder" value={search} onChange={(e) => setSearch(e.target.value)} aria-label="Search experiments" />
            </div>
          }
        >
          <p className="table-summary small muted" data-testid="experiment-count">
            {shown === null ? 'Loading…' : filtered ? `${plural(shown.length, 'experiment')} match.` : `${plural(shown.length, 'experiment')} in this workspace.`}
          </p>
          {shown === null ? null : shown.length === 0 ? (
            <EmptyState>{filtered ? 'No experiment matches.' : 'No experiments yet: scan the folders where MinKNOW writes its runs (Discover runs).'}</EmptyState>
          ) : (
            <ExperimentsTable experiments={shown} />
          )}
        </Card>
        <PendingSma />
        {experiments ? <AcrossExperiments experiments={experiments} /> : null}
      </div>
    </>
  );
}
