import { useState } from 'react';
import { CHILD_DEFS, type LibraryDetail } from '../../../../shared/schemas/libraries';
import { request } from '../../stores/connectionStore';
import { Card } from '../Card';
import { KeyValues } from '../KeyValues';
import { RowForm } from './RowForm';
import { text, type Reload } from './values';

export function QcCard({ lib, onChange }: { lib: LibraryDetail; onChange: Reload }) {
  const [editing, setEditing] = useState(false);
  const qc = lib.qc_thresholds;
  const libId = text(lib.spec.lib_id);
  return (
    <Card
      title="QC thresholds"
      span={3}
      actions={
        lib.readOnly ? null : (
          <button type="button" className="button" onClick={() => setEditing((e) => !e)} aria-expanded={editing}>
            {editing ? 'Close' : 'Edit'}
          </button>
        )
      }
    >
      <p className="muted card-intro">What a run of this library must reach; the reads browser checks each basecall run against them.</p>
      {editing && !lib.readOnly ? (
        <RowForm
          fields={CHILD_DEFS.qc_thresholds.fields}
          row={qc}
          label="Edit the QC thresholds"
          submitLabel="Save"
          testId="edit-qc"
          onCancel={() => setEditing(false)}
          onSubmit={async (changes) => {
            onChange(await request('libraries.editRow', { libId, table: 'qc_thresholds', id: libId, changes }));
            setEditing(false);
          }}
        />
      ) : (
        <KeyValues columns items={CHILD_DEFS.qc_thresholds.fields.map((f) => ({ label: f.label, value: qc && qc[f.name] !== null && qc[f.name] !== undefined ? text(qc[f.name]) : '—', testId: `qc-${f.name}` }))} />
      )}
    </Card>
  );
}
