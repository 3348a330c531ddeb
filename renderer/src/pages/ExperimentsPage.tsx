import { useCallback, useEffect, useState } from 'react';
import type { ApiErrorBody } from '../../../shared/errors';
import type { Experiment } from '../../../shared/schemas/experiments';
import { Card } from '../components/Card';
import { DataTable } from '../components/DataTable';
import { EmptyState, ErrorNotice } from '../components/Notice';
import { PageHeader } from '../components/PageHeader';
import { PendingSma } from '../components/PendingSma';
import { AcrossExperiments } from '../components/experiments/AcrossExperiments';
import { DiscoverPanel } from '../components/experiments/DiscoverPanel';
import { RunStateBadge } from '../components/experiments/RunStateBadge';
import { WarningsBadge } from '../components/experiments/WarningsBadge';
import { experimentHref } from '../components/experiments/labels';
import { toErrorBody } from '../lib/errors';
import { formatCount, formatDateTime, plural } from '../lib/labels';
import { useRouteParam } from '../lib/router';
import { request } from '../stores/connectionStore';
import { ExperimentDetailPage } from './ExperimentDetailPage';

export function ExperimentsPage() {
  const id = useRouteParam();
  if (id) return <ExperimentDetailPage key={id} expId={id} />;
  return <ExperimentsListPage />;
}

function pod5Text(e: Experiment): string {
  if (e.pod5Count === null) return '—';
  return e.pod5Expected !== null && e.pod5Expected !== e.pod5Count ? `${formatCount(e.pod5Count)} / ${formatCount(e.pod5Expected)}` : formatCount(e.pod5Count);
}

function ExperimentsListPage() {
  const [search, setSearch] = useState('');
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

  return (
    <>
      <PageHeader
        title="Experiments"
        description="The runs that came off the sequencer: found in MinKNOW's output folders, each with its flow cell, sample, kit, POD5 files and basecall runs."
      />
      {error ? <ErrorNotice error={error} /> : null}
      <div className="experiments-layout">
        <DiscoverPanel onChanged={() => void load()} />
        <Card
          title="Experiments"
          flush
          actions={
            <div className="filters">
              <input className="input" type="search" placeholder="Search id, sample, flow cell, folder" value={search} onChange={(e) => setSearch(e.target.value)} aria-label="Search experiments" />
            </div>
          }
        >
          <p className="table-summary small muted" data-testid="experiment-count">
            {experiments === null ? 'Loading…' : search.trim() ? `${plural(experiments.length, 'experiment')} match.` : `${plural(experiments.length, 'experiment')} in this workspace.`}
          </p>
          {experiments === null ? null : experiments.length === 0 ? (
            <EmptyState>{search.trim() ? 'No experiment matches.' : 'No experiments yet: scan the folders where MinKNOW writes its runs (Discover runs).'}</EmptyState>
          ) : (
            <DataTable
              caption="Experiments"
              testId="experiments-table"
              rowKey={(e) => e.expId}
              rows={experiments}
              columns={[
                {
                  key: 'flowCellId',
                  header: 'Flow cell',
                  render: (e) => (
                    <a className="link" href={experimentHref(e.expId)} title={e.expId}>
                      {e.flowCellId ?? e.expId}
                    </a>
                  ),
                },
                { key: 'flowCellProduct', header: 'Product', render: (e) => e.flowCellProduct ?? <span className="null">—</span> },
                { key: 'sampleId', header: 'Sample' },
                { key: 'sequencingKit', header: 'Kit' },
                { key: 'started', header: 'Started', render: (e) => (e.started ? formatDateTime(e.started) : <span className="null">—</span>) },
                { key: 'pod5Count', header: 'POD5 files', numeric: true, render: pod5Text },
                {
                  key: 'runState',
                  header: 'State',
                  render: (e) => (
                    <>
                      <RunStateBadge state={e.runState} /> <WarningsBadge warnings={e.warnings} />
                    </>
                  ),
                },
                { key: 'basecallRuns', header: 'Basecalls', numeric: true, render: (e) => (e.basecallRuns === 0 ? <span className="zero">0</span> : formatCount(e.basecallRuns)) },
              ]}
            />
          )}
        </Card>
        <PendingSma />
        {experiments ? <AcrossExperiments experiments={experiments} /> : null}
      </div>
    </>
  );
}
