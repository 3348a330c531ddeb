import { useEffect } from 'react';
import { Card } from '../components/Card';
import { KeyValues, Placeholder } from '../components/KeyValues';
import { EmptyState, ErrorNotice } from '../components/Notice';
import { PageHeader } from '../components/PageHeader';
import { StatusTable } from '../components/StatusTable';
import { formatCount, plural } from '../lib/labels';
import { useSystemStore } from '../stores/systemStore';

export function RunsPage() {
  const pipeline = useSystemStore((s) => s.pipeline);
  const status = useSystemStore((s) => s.status);
  const workspace = useSystemStore((s) => s.workspace);
  const error = useSystemStore((s) => s.error);
  const load = useSystemStore((s) => s.load);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <>
      <PageHeader
        title="Runs"
        description="Analysis runs will be started and followed here: each run gets its own folder, every attempt of a step is a job with its command, tool version, exit code and live log, and runs can be killed, cleaned, exported and imported."
      />
      {error ? <ErrorNotice error={error} /> : null}
      <div className="grid">
        <Card title="In this workspace">
          <p className="lead" data-testid="run-count">
            {status ? `${plural(status.totalRuns, 'analysis run')} in this workspace.` : <Placeholder />}
          </p>
          <KeyValues
            items={[
              { label: 'Active jobs', value: status ? formatCount(status.activeJobs) : null },
              { label: 'Runs folder', value: workspace?.runsDir ?? null, path: true },
            ]}
          />
        </Card>
        <Card title="Runs by status" flush>
          {pipeline ? <StatusTable counts={pipeline.runs} noun="Runs" empty="No analysis runs yet." /> : <EmptyState>Loading…</EmptyState>}
        </Card>
        <Card title="Jobs by status" flush>
          {pipeline ? <StatusTable counts={pipeline.jobs} noun="Jobs" empty="No jobs yet." /> : <EmptyState>Loading…</EmptyState>}
        </Card>
      </div>
    </>
  );
}
