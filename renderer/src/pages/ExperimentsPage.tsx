import { useEffect } from 'react';
import { formatBytes } from '../../../shared/format';
import { Card } from '../components/Card';
import { KeyValues, Placeholder } from '../components/KeyValues';
import { ErrorNotice } from '../components/Notice';
import { PageHeader } from '../components/PageHeader';
import { PendingSma } from '../components/PendingSma';
import { formatCount, plural } from '../lib/labels';
import { useSystemStore } from '../stores/systemStore';

export function ExperimentsPage() {
  const pipeline = useSystemStore((s) => s.pipeline);
  const status = useSystemStore((s) => s.status);
  const workspace = useSystemStore((s) => s.workspace);
  const error = useSystemStore((s) => s.error);
  const load = useSystemStore((s) => s.load);

  useEffect(() => {
    void load();
  }, [load]);

  const basecall = pipeline ? Object.values(pipeline.basecallRuns).reduce((n, c) => n + c, 0) : null;

  return (
    <>
      <PageHeader
        title="Experiments"
        description="The experiments that came off the sequencer — instrument, flow cell, sample, protocol and POD5 folder — will be registered and browsed here, each with its basecall runs and its per-read database."
      />
      {error ? <ErrorNotice error={error} /> : null}
      <Card title="In this workspace" className="narrow">
        <p className="lead" data-testid="experiment-count">
          {pipeline ? `${plural(pipeline.experiments, 'experiment')} in this workspace.` : <Placeholder />}
        </p>
        <p className="muted">Registering and browsing experiments arrives with the experiment forms; until then, these are the counts in the central database.</p>
        <KeyValues
          items={[
            { label: 'Basecall runs', value: basecall === null ? null : formatCount(basecall) },
            { label: 'Ready for SMA analysis', value: pipeline ? formatCount(pipeline.pendingSma.length) : null },
            { label: 'Per-read databases', value: status ? `${plural(status.readsDbCount, 'file')} · ${formatBytes(status.readsDbBytes)}` : null },
            { label: 'Reads folder', value: workspace?.readsDir ?? null, path: true },
          ]}
        />
      </Card>
      <PendingSma />
    </>
  );
}
