import { useEffect, useState } from 'react';
import type { ApiErrorBody } from '../../../shared/errors';
import type { DemoProgress } from '../../../shared/ops/demo';
import { subscribe } from '../api/client';
import { toErrorBody } from '../lib/errors';
import { request } from '../stores/connectionStore';
import { Card } from './Card';
import { ErrorNotice, InfoNotice } from './Notice';
import { Path } from './Path';

const FIRST_ACTIONS = [
  { href: '#/libraries', label: 'Create a library spec', detail: 'the design of what you will sequence: constructs, barcodes, QC thresholds' },
  { href: '#/experiments', label: 'Discover experiments from a MinKNOW folder', detail: 'the runs that came off the sequencer, with their POD5 files checked' },
  { href: '#/runs', label: 'Create an analysis run', detail: 'two FASTQ files, then each step of the pipeline from its form' },
];

/**
 * An empty workspace's first minute: the three first actions, and a demo workspace built from
 * generated data (in a separate process; the app opens it when it is ready).
 */
export function StartHere({ noExperimentsOrRuns }: { noExperimentsOrRuns: boolean }) {
  const [progress, setProgress] = useState<DemoProgress | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [libraries, setLibraries] = useState<number | null>(null);

  useEffect(() => {
    if (!noExperimentsOrRuns) return;
    let live = true;
    request('libraries.list', {}).then(
      (list) => live && setLibraries(list.length),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [noExperimentsOrRuns]);
  const empty = noExperimentsOrRuns && libraries === 0;

  useEffect(() => {
    let live = true;
    request('demo.status', {}).then(
      (p) => live && setProgress((now) => now ?? p),
      () => undefined,
    );
    const unsubscribe = subscribe('demo.progress', (p) => live && setProgress(p));
    return () => {
      live = false;
      unsubscribe();
    };
  }, []);

  const building = progress?.state === 'running';
  if (!empty && !building && progress?.state !== 'failed') return null;

  const start = () => {
    setError(null);
    request('demo.create', {}).then(
      (r) => setProgress({ state: 'running', workspace: r.workspace, line: 'Starting…', error: null }),
      (err: unknown) => setError(toErrorBody(err)),
    );
  };

  return (
    <Card title="Start here" span={3}>
      <div className="start-here" data-testid="start-here">
        <ol className="start-here-actions">
          {FIRST_ACTIONS.map((a) => (
            <li key={a.href}>
              <a href={a.href}>{a.label}</a> <span className="muted small">— {a.detail}</span>
            </li>
          ))}
        </ol>
        <p className="muted small start-here-demo">
          Or look around first: the demo workspace holds a library spec, four experiments, an ingested basecall run and a qsLAM run with every step run, all
          generated on this machine in under a minute.
        </p>
        <button type="button" className="button primary" onClick={start} disabled={building} data-testid="open-demo">
          {building ? 'Building the demo workspace…' : 'Open the demo workspace'}
        </button>
        {progress?.state === 'running' ? (
          <div data-testid="demo-progress" aria-live="polite">
            <InfoNotice>
              Building in <Path value={progress.workspace} />: {progress.line}
            </InfoNotice>
          </div>
        ) : null}
        {progress?.state === 'failed' ? (
          <div data-testid="demo-failed">
            <InfoNotice tone="warn">The demo workspace could not be built: {progress.error}</InfoNotice>
          </div>
        ) : null}
        {error ? <ErrorNotice error={error} title="The demo workspace could not be built" /> : null}
      </div>
    </Card>
  );
}
