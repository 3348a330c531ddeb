import { useEffect, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatBytes, formatDuration } from '../../../shared/format';
import type { PipelineStatus } from '../../../shared/schemas/system';
import { Card } from '../components/Card';
import { DataTable, type Column } from '../components/DataTable';
import { KeyValues, Placeholder } from '../components/KeyValues';
import { EmptyState, ErrorNotice } from '../components/Notice';
import { PageHeader } from '../components/PageHeader';
import { Path } from '../components/Path';
import { StartHere } from '../components/StartHere';
import { StatusTable } from '../components/StatusTable';
import { UnfinishedRunsNotice } from '../components/UnfinishedRunsNotice';
import { UsageBar } from '../components/UsageBar';
import { DEPLOYMENT_MODE, formatCount, formatDateTime, formatTime, plural } from '../lib/labels';
import { useSystemStore } from '../stores/systemStore';

const REFRESH_MS = 5_000;

type PendingRow = PipelineStatus['pendingSma'][number];

const PENDING_COLUMNS: Column<PendingRow>[] = [
  { key: 'runId', header: 'Run ID', mono: true },
  { key: 'expId', header: 'Experiment', mono: true },
  { key: 'sampleId', header: 'Sample' },
  { key: 'modelTier', header: 'Model tier' },
  { key: 'bamPath', header: 'BAM', wrap: true, render: (r) => (r.bamPath ? <Path value={r.bamPath} /> : <span className="null">—</span>) },
];

function sum(counts: Record<string, number> | undefined): number | null {
  return counts ? Object.values(counts).reduce((n, c) => n + c, 0) : null;
}

function Figure({ label, value, detail, testId }: { label: string; value: number | null; detail?: ReactNode; testId: string }) {
  return (
    <div className="figure" data-testid={testId}>
      <div className="figure-label">{label}</div>
      <div className="figure-value" data-testid={`${testId}-value`}>
        {value === null ? <Placeholder /> : formatCount(value)}
      </div>
      <div className="figure-detail">{detail ?? '\u00a0'}</div>
    </div>
  );
}

export function DashboardPage() {
  const { status, info, pipeline, loading, error, updatedAt, load } = useSystemStore(
    useShallow((s) => ({
      status: s.status,
      info: s.info,
      pipeline: s.pipeline,
      loading: s.loading,
      error: s.error,
      updatedAt: s.updatedAt,
      load: s.load,
    })),
  );

  // Fresh on arrival, then every 5 s while the Dashboard is shown (not while the window is hidden).
  useEffect(() => {
    if (!useSystemStore.getState().loading) void load();
    const timer = setInterval(() => {
      if (!document.hidden) void load();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  const basecallTotal = sum(pipeline?.basecallRuns);
  const pending = pipeline?.pendingSma ?? null;
  const diskUsed = status ? status.diskTotalBytes - status.diskFreeBytes : 0;

  return (
    <>
      <PageHeader
        title="Dashboard"
        description="The open workspace, its databases and the state of the pipeline."
        actions={
          <>
            <span className="muted small tabular" aria-live="off">
              {updatedAt ? `Updated ${formatTime(updatedAt)} · every 5 s` : 'Loading…'}
            </span>
            <button type="button" className="button" onClick={() => void load()} disabled={loading}>
              Refresh
            </button>
          </>
        }
      />
      {error ? (
        <ErrorNotice error={error} title={updatedAt ? `Could not refresh: the figures below are from ${formatTime(updatedAt)}` : 'Could not load the figures'} />
      ) : null}
      <UnfinishedRunsNotice />

      <div className="figures" role="group" aria-label="Key figures">
        <Figure
          label="Experiments"
          value={pipeline?.experiments ?? null}
          testId="figure-experiments"
          detail={status ? `${plural(status.readsDbCount, 'read database')}` : null}
        />
        <Figure
          label="Basecall runs"
          value={basecallTotal}
          testId="figure-basecall"
          detail={pipeline ? `${formatCount(pipeline.basecallRuns.complete ?? 0)} complete` : null}
        />
        <Figure label="Ready for SMA analysis" value={pending ? pending.length : null} testId="figure-pending-sma" detail="no SMA database yet" />
        <Figure label="Analysis runs" value={status?.totalRuns ?? null} testId="figure-runs" detail={pipeline ? `${plural(sum(pipeline.jobs) ?? 0, 'job')} recorded` : null} />
        <Figure label="Active jobs" value={status?.activeJobs ?? null} testId="figure-active-jobs" detail="running or pending" />
      </div>

      <div className="grid">
        <StartHere noExperimentsOrRuns={pipeline?.experiments === 0 && status?.totalRuns === 0} />
        <Card title="Ready for SMA analysis" span={2} flush>
          {pending === null ? (
            <EmptyState>Loading…</EmptyState>
          ) : pending.length === 0 ? (
            <EmptyState>No basecall runs are waiting for SMA analysis: every complete run already has its SMA database.</EmptyState>
          ) : (
            <DataTable columns={PENDING_COLUMNS} rows={pending} rowKey={(r) => r.runId} caption="Basecall runs ready for SMA analysis" maxHeight={260} testId="pending-sma" />
          )}
        </Card>

        <Card title="Workspace">
          <KeyValues
            items={[
              { label: 'Folder', value: status?.workspace ?? null, path: true, testId: 'workspace-path' },
              { label: 'Central database', value: status ? formatBytes(status.centralDbBytes) : null, testId: 'central-db-size' },
              {
                label: 'Read databases',
                value: status ? `${plural(status.readsDbCount, 'file')} · ${formatBytes(status.readsDbBytes)}` : null,
                testId: 'reads-db',
              },
              {
                label: 'Free disk',
                value: status ? `${formatBytes(status.diskFreeBytes)} of ${formatBytes(status.diskTotalBytes)}` : null,
                testId: 'disk-free',
                hint: status ? <UsageBar used={diskUsed} total={status.diskTotalBytes} label="Disk space used" /> : null,
              },
            ]}
          />
        </Card>

        <Card title="Basecall runs" flush>
          {pipeline ? <StatusTable counts={pipeline.basecallRuns} noun="Runs" empty="No basecall runs yet." testId="basecall-status" /> : <EmptyState>Loading…</EmptyState>}
        </Card>
        <Card title="Analysis runs" flush>
          {pipeline ? (
            <StatusTable counts={pipeline.runs} noun="Runs" empty="No analysis runs in this workspace yet." testId="runs-status" />
          ) : (
            <EmptyState>Loading…</EmptyState>
          )}
        </Card>
        <Card title="Jobs" flush>
          {pipeline ? <StatusTable counts={pipeline.jobs} noun="Jobs" empty="No jobs yet." testId="jobs-status" /> : <EmptyState>Loading…</EmptyState>}
        </Card>

        <Card title="This Benchtop" span={3}>
          <KeyValues
            columns
            items={[
              { label: 'Version', value: info ? `${info.name} ${info.version}` : null, testId: 'app-version' },
              { label: 'Mode', value: info ? DEPLOYMENT_MODE[info.deploymentMode] : null, testId: 'deployment-mode' },
              { label: 'Uptime', value: status ? formatDuration(status.uptimeSeconds) : null, testId: 'uptime' },
              { label: 'Started', value: status ? formatDateTime(status.startedAt) : null },
              { label: 'Central schema', value: info ? `v${info.centralSchemaVersion}` : null, testId: 'central-schema' },
              { label: 'Reads schema', value: info ? `v${info.readsSchemaVersion}` : null, testId: 'reads-schema' },
              { label: 'SQLite', value: info?.sqliteVersion ?? null, testId: 'sqlite-version' },
              { label: 'Node.js', value: info?.nodeVersion ?? null, testId: 'node-version' },
              { label: 'Electron', value: info ? (info.electronVersion ?? 'not in Electron') : null, testId: 'electron-version' },
              { label: 'Platform', value: info ? `${info.platform} · ${info.arch}` : null },
            ]}
          />
        </Card>
      </div>
    </>
  );
}
