import { useCallback, useEffect, useState } from 'react';
import type { ApiErrorBody } from '../../../shared/errors';
import { modsLabel } from '../../../shared/nanopore/basecallName';
import type { BasecallRun, ExperimentDetail } from '../../../shared/schemas/experiments';
import { formatDuration } from '../../../shared/format';
import { Card } from '../components/Card';
import { DataTable } from '../components/DataTable';
import { KeyValues } from '../components/KeyValues';
import { EmptyState, ErrorNotice, InfoNotice } from '../components/Notice';
import { PageHeader } from '../components/PageHeader';
import { Path } from '../components/Path';
import { StatusLabel } from '../components/StatusDot';
import { RegisterBamForm } from '../components/experiments/RegisterBamForm';
import { RunStateBadge } from '../components/experiments/RunStateBadge';
import { RUN_STATE_HELP, experimentHref, readsHref } from '../components/experiments/labels';
import { toErrorBody } from '../lib/errors';
import { formatCount, formatDateTime } from '../lib/labels';
import { href, runHref } from '../lib/router';
import { request } from '../stores/connectionStore';

function pod5(e: ExperimentDetail): string | null {
  if (e.pod5Count === null) return null;
  return e.pod5Expected === null ? formatCount(e.pod5Count) : `${formatCount(e.pod5Count)} on disk · ${formatCount(e.pod5Expected)} listed in final_summary`;
}

/** dorado's version, runtime and GPU and the analysis run, for a run the basecall step made; else "registered". */
function madeBy(b: BasecallRun) {
  if (!b.analysisRunId) return <span className="muted">registered</span>;
  const facts = [b.doradoVersion ? `dorado ${b.doradoVersion}` : null, b.runtimeSeconds !== null ? formatDuration(b.runtimeSeconds) : null, b.gpuModel].filter(Boolean);
  return (
    <>
      {facts.join(' · ')}
      {facts.length ? ' · ' : ''}
      <a className="link" href={runHref(b.analysisRunId)}>
        analysis run
      </a>
    </>
  );
}

export function ExperimentDetailPage({ expId }: { expId: string }) {
  const [detail, setDetail] = useState<ExperimentDetail | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [registered, setRegistered] = useState<BasecallRun | null>(null);

  const load = useCallback(
    () =>
      request('experiments.get', { expId }).then(
        (d) => {
          setDetail(d);
          setError(null);
        },
        (err: unknown) => setError(toErrorBody(err)),
      ),
    [expId],
  );

  useEffect(() => {
    request('experiments.get', { expId }).then(setDetail, (err: unknown) => setError(toErrorBody(err)));
  }, [expId]);

  const e = detail;
  return (
    <>
      <PageHeader
        title={e?.sampleId ? `${e.sampleId} · ${e.flowCellId ?? expId}` : expId}
        description={
          <>
            <a className="link" href={href('experiments')}>
              Experiments
            </a>{' '}
            / <span className="mono">{expId}</span>
          </>
        }
      />
      {error ? <ErrorNotice error={error} /> : null}
      {e && e.warnings.length > 0 ? (
        <InfoNotice tone="warn">
          <div data-testid="exp-warnings">
            <strong>Found wrong in the run&apos;s files at the last scan</strong> (these values were not stored; a file that is not a proper final summary does not make the run complete):
            <ul>
              {e.warnings.map((w, i) => (
                <li key={i}>{w.message}</li>
              ))}
            </ul>
          </div>
        </InfoNotice>
      ) : null}
      {e ? (
        <div className="columns experiment-detail">
          <Card title="Run">
            <KeyValues
              items={[
                { label: 'Experiment id', value: e.expId, mono: true, testId: 'exp-id' },
                { label: 'State', value: e.runState ? <RunStateBadge state={e.runState} /> : '—', hint: e.runState ? RUN_STATE_HELP[e.runState] : undefined },
                { label: 'Flow cell', value: [e.flowCellId, e.flowCellProduct].filter(Boolean).join(' · ') || '—' },
                { label: 'Kit', value: e.sequencingKit ?? '—' },
                { label: 'Sample', value: e.sampleId ?? '—' },
                { label: 'Instrument', value: e.instrument ?? '—' },
                { label: 'Started', value: e.started ? formatDateTime(e.started) : '—' },
                { label: 'POD5 files', value: pod5(e) ?? '—', testId: 'exp-pod5' },
                { label: 'Protocol', value: e.protocol ?? '—', mono: true },
                { label: 'Protocol run', value: e.protocolRunId ?? '—', mono: true },
                { label: 'Folder', value: e.experimentPath ?? '—', path: true },
                { label: 'POD5 folder', value: e.pod5Dir ?? '—', path: true },
                { label: 'Found from', value: e.source ? `${e.source.replace('_', ' ')}${e.scannedAt ? ` · scanned ${formatDateTime(e.scannedAt)}` : ''}` : '—' },
              ]}
            />
          </Card>
          <Card title="Library specs">
            {e.libraries.length === 0 ? (
              <EmptyState>No library spec is linked to this experiment. Link one from its library page (Libraries).</EmptyState>
            ) : (
              <DataTable
                caption="Linked library specs"
                rowKey={(l) => l.libId}
                rows={e.libraries}
                columns={[
                  {
                    key: 'libName',
                    header: 'Library',
                    render: (l) => (
                      <a className="link" href={`#/libraries/${encodeURIComponent(l.libId)}`}>
                        {l.libName}
                      </a>
                    ),
                  },
                  { key: 'libVersion', header: 'Version' },
                  { key: 'relationship', header: 'Relationship' },
                  { key: 'runPurpose', header: 'Purpose' },
                ]}
              />
            )}
          </Card>
          <Card title="Basecall runs" span={2} flush>
            {e.basecalls.length === 0 ? (
              <EmptyState>No basecall run yet: register a BAM below, or run the Basecall (dorado) step in an analysis run of the nanopore pipeline.</EmptyState>
            ) : (
              <DataTable
                caption="Basecall runs"
                testId="basecalls-table"
                rowKey={(b) => b.runId}
                rows={e.basecalls}
                columns={[
                  {
                    key: 'runId',
                    header: 'Basecall run',
                    mono: true,
                    render: (b) => (
                      <a className="link" href={readsHref(b.runId)} title={`${b.runId}: reads and QC`}>
                        {b.runId.startsWith(`${expId}_`) ? b.runId.slice(expId.length + 1) : b.runId}
                      </a>
                    ),
                  },
                  { key: 'modelTier', header: 'Model', render: (b) => [b.modelTier, b.modelVersion].filter(Boolean).join(' ') || '—' },
                  { key: 'trim', header: 'Trim', render: (b) => (b.trim === null ? '—' : b.trim ? 'yes' : 'no') },
                  { key: 'mods', header: 'Modifications', render: (b) => (b.modBitflag === null ? '—' : `${modsLabel(b.mods)} (${b.modBitflag})`) },
                  { key: 'status', header: 'Status', render: (b) => (b.status ? <StatusLabel status={b.status} /> : '—') },
                  { key: 'analysisRunId', header: 'Made by', wrap: true, render: madeBy },
                  { key: 'bamPath', header: 'BAM', wrap: true, render: (b) => (b.bamPath ? <Path value={b.bamPath} /> : '—') },
                ]}
              />
            )}
          </Card>
          <div className="span-2">
            {registered ? (
              <InfoNotice tone="ok">
                Registered <span className="mono">{registered.runId}</span>
                {registered.expId && registered.expId !== expId ? (
                  <>
                    {' '}
                    under experiment{' '}
                    <a className="link" href={experimentHref(registered.expId)}>
                      {registered.expId}
                    </a>
                  </>
                ) : null}
                .
              </InfoNotice>
            ) : null}
            <RegisterBamForm
              expId={expId}
              onRegistered={(run) => {
                setRegistered(run);
                void load();
              }}
            />
          </div>
        </div>
      ) : null}
    </>
  );
}
