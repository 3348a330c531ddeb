import { useEffect, useState } from 'react';
import type { OpResponse } from '../../../../shared/contract';
import type { ApiErrorBody } from '../../../../shared/errors';
import { LINK_FIELDS, type LibField, type LibraryDetail } from '../../../../shared/schemas/libraries';
import { toErrorBody } from '../../lib/errors';
import { request } from '../../stores/connectionStore';
import { Card } from '../Card';
import { DataTable } from '../DataTable';
import { ErrorNotice } from '../Notice';
import { RowForm } from './RowForm';
import { text, type Reload } from './values';

/** The experiments a spec is linked to (lib_experiment_link), with link and unlink. */
export function ExperimentsCard({ lib, onChange }: { lib: LibraryDetail; onChange: Reload }) {
  const libId = text(lib.spec.lib_id);
  const [experiments, setExperiments] = useState<OpResponse<'libraries.experiments'> | null>(null);
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  useEffect(() => {
    request('libraries.experiments', {})
      .then(setExperiments)
      .catch((err: unknown) => setError(toErrorBody(err)));
  }, []);
  const expField: LibField = { name: 'exp_id', label: 'Experiment', kind: 'text', required: true };
  const choices = (experiments ?? []).map((e) => ({ value: e.exp_id, label: [e.exp_id, e.sample_id, e.flow_cell_id].filter(Boolean).join(' · ') }));
  async function unlink(expId: string) {
    try {
      onChange(await request('libraries.unlink', { libId, expId }));
    } catch (err) {
      setError(toErrorBody(err));
    }
  }
  return (
    <Card
      title={`Experiments (${lib.experiments.length})`}
      span={3}
      actions={
        <button type="button" className="button" onClick={() => setAdding((a) => !a)} aria-expanded={adding} disabled={experiments?.length === 0}>
          Link an experiment
        </button>
      }
    >
      <p className="muted card-intro">The runs this library was sequenced in. Links can be made on any version, old ones included: they record what was sequenced.</p>
      {experiments?.length === 0 ? <p className="muted small">No experiments in this workspace yet: discover them on the Experiments page first.</p> : null}
      {error ? <ErrorNotice error={error} compact /> : null}
      {adding ? (
        <RowForm
          fields={[expField, ...LINK_FIELDS]}
          row={null}
          choices={{ exp_id: choices }}
          label="Link an experiment"
          submitLabel="Link"
          onCancel={() => setAdding(false)}
          onSubmit={async ({ exp_id, ...link }) => {
            if (typeof exp_id !== 'string') throw new Error('exp_id: choose an experiment.');
            onChange(await request('libraries.link', { libId, expId: exp_id, link }));
            setAdding(false);
          }}
        />
      ) : null}
      {lib.experiments.length ? (
        <DataTable
          rows={lib.experiments}
          rowKey={(r) => r.exp_id}
          caption="Linked experiments"
          columns={[
            { key: 'exp_id', header: 'Experiment', mono: true },
            { key: 'sample_id', header: 'Sample' },
            { key: 'flow_cell_id', header: 'Flow cell', mono: true },
            { key: 'relationship', header: 'Relationship' },
            { key: 'run_purpose', header: 'Run purpose' },
            { key: 'notes', header: 'Notes', wrap: true },
            {
              key: '__actions',
              header: '',
              render: (r) => (
                <button type="button" className="link-button danger" onClick={() => void unlink(r.exp_id)} aria-label={`Unlink ${r.exp_id}`}>
                  Unlink
                </button>
              ),
            },
          ]}
        />
      ) : null}
    </Card>
  );
}
