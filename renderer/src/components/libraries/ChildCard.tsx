import { useId, useState, type ReactNode } from 'react';
import type { ApiErrorBody } from '../../../../shared/errors';
import { CHILD_DEFS, type ChildTable, type LibField, type LibRow, type LibraryDetail } from '../../../../shared/schemas/libraries';
import { toErrorBody } from '../../lib/errors';
import { formatCount } from '../../lib/labels';
import { request } from '../../stores/connectionStore';
import { Card } from '../Card';
import { DataTable, type Column } from '../DataTable';
import { EmptyState, ErrorNotice } from '../Notice';
import { RowForm, type Choice } from './RowForm';
import { text, type Reload } from './values';

interface ChildCardProps {
  lib: LibraryDetail;
  table: ChildTable;
  title: string;
  rows: LibRow[];
  columns: Column<LibRow>[];
  onChange: Reload;
  /** A dropdown for the parent column (fragments: constructs, modifications: fragments). */
  parent?: { field: LibField; choices: Choice[] };
  intro?: ReactNode;
  extra?: ReactNode;
  addLabel: string;
  span?: 2 | 3;
}

/** One child table of a spec: its rows, with add, edit and delete (none of them on a read-only version). */
export function ChildCard({ lib, table, title, rows, columns, onChange, parent, intro, extra, addLabel, span = 3 }: ChildCardProps) {
  const def = CHILD_DEFS[table];
  const libId = text(lib.spec.lib_id);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const fields = parent ? [parent.field, ...def.fields] : def.fields;
  const choices = parent ? { [parent.field.name]: parent.choices } : undefined;
  const editRow = editing === null ? undefined : rows.find((r) => text(r[def.idColumn]) === editing);
  const singular = addLabel.replace(/^Add (a |an )?/, '');
  // Each row belongs to a parent row (a fragment to a construct …): with none yet, say which to add first.
  const blocked = !lib.readOnly && parent !== undefined && parent.choices.length === 0;
  const blockedId = useId();

  async function remove(id: string) {
    setError(null);
    try {
      onChange(await request('libraries.deleteRow', { libId, table, id }));
    } catch (err) {
      setError(toErrorBody(err));
    }
  }

  const actions: Column<LibRow> = {
    key: '__actions',
    header: '',
    render: (r) => {
      const id = text(r[def.idColumn]);
      return (
        <span className="row-actions">
          <button type="button" className="link-button" onClick={() => setEditing(id)} aria-label={`Edit ${singular} ${text(r.name ?? r.sample_name ?? r.field_name ?? r.mod_type ?? id)}`}>
            Edit
          </button>
          <button type="button" className="link-button danger" onClick={() => void remove(id)} aria-label={`Delete ${singular} ${text(r.name ?? r.sample_name ?? r.field_name ?? r.mod_type ?? id)}`}>
            Delete
          </button>
        </span>
      );
    },
  };

  return (
    <Card
      title={`${title} (${formatCount(rows.length)})`}
      span={span}
      actions={
        lib.readOnly ? null : (
          <button type="button" className="button" onClick={() => setAdding((a) => !a)} aria-expanded={adding} disabled={blocked} aria-describedby={blocked ? blockedId : undefined}>
            {addLabel}
          </button>
        )
      }
    >
      {intro}
      {blocked && parent ? (
        <p className="field-hint" id={blockedId} data-testid={`${table}-blocked`}>
          {addLabel} is possible once there is a {parent.field.label.toLowerCase()}: each {singular} belongs to one. Add a {parent.field.label.toLowerCase()} first.
        </p>
      ) : null}
      {error ? <ErrorNotice error={error} compact /> : null}
      {adding && !lib.readOnly ? (
        <RowForm
          key="add"
          fields={fields}
          row={null}
          choices={choices}
          label={addLabel}
          submitLabel={addLabel}
          testId={`add-${table}`}
          onCancel={() => setAdding(false)}
          onSubmit={async (row) => {
            const result = await request('libraries.addRow', { libId, table, row });
            setAdding(false);
            onChange(result.library);
          }}
        />
      ) : null}
      {editRow && !lib.readOnly ? (
        <RowForm
          key={`edit-${editing}`}
          fields={def.fields}
          row={editRow}
          label={`Edit ${singular}`}
          submitLabel="Save"
          testId={`edit-${table}`}
          onCancel={() => setEditing(null)}
          onSubmit={async (changes) => {
            const result = await request('libraries.editRow', { libId, table, id: editing!, changes });
            setEditing(null);
            onChange(result);
          }}
        />
      ) : null}
      {extra}
      {rows.length === 0 ? (
        <EmptyState>No {title.toLowerCase()} yet.</EmptyState>
      ) : (
        <DataTable columns={lib.readOnly ? columns : [...columns, actions]} rows={rows} rowKey={(r, i) => `${text(r[def.idColumn])}:${i}`} caption={title} testId={`lib-${table}`} />
      )}
    </Card>
  );
}
