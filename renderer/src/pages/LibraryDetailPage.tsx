import { lazy, Suspense, useEffect, useId, useState, type ReactNode } from 'react';
import type { ApiErrorBody } from '../../../shared/errors';
import {
  CHILD_DEFS,
  LINK_FIELDS,
  SPEC_FIELDS,
  STATUS_TRANSITIONS,
  nextVersion,
  type ChildTable,
  type LibField,
  type LibRow,
  type LibraryDetail,
} from '../../../shared/schemas/libraries';
import type { OpResponse } from '../../../shared/contract';
import { Card } from '../components/Card';
import { DataTable, type Column } from '../components/DataTable';
import { KeyValues } from '../components/KeyValues';
import { EmptyState, ErrorNotice, InfoNotice } from '../components/Notice';
import { PageHeader } from '../components/PageHeader';
import { PathInput } from '../components/PathInput';
import { RowForm, useLookupChoices, type Choice } from '../components/libraries/RowForm';
import { parseAnnotations } from '../lib/annotations';
import { toErrorBody } from '../lib/errors';
import { formatCount, formatDateTime } from '../lib/labels';
import { href, libraryHref } from '../lib/router';
import { request } from '../stores/connectionStore';

const ConstructMap = lazy(() => import('../components/libraries/ConstructMap'));

type Reload = (lib: LibraryDetail) => void;

function text(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}

function gcPercent(v: unknown): string | null {
  return typeof v === 'number' ? `${(v * 100).toFixed(1)} %` : null;
}

function StatusBadge({ status }: { status: string }) {
  return <span className={`lib-status lib-status-${status}`}>{status}</span>;
}

// ------------------------------------------------------------------ one child table

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

function ChildCard({ lib, table, title, rows, columns, onChange, parent, intro, extra, addLabel, span = 3 }: ChildCardProps) {
  const def = CHILD_DEFS[table];
  const libId = text(lib.spec.lib_id);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const fields = parent ? [parent.field, ...def.fields] : def.fields;
  const choices = parent ? { [parent.field.name]: parent.choices } : undefined;
  const editRow = editing === null ? undefined : rows.find((r) => text(r[def.idColumn]) === editing);
  const singular = addLabel.replace(/^Add (a |an )?/, '');

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
          <button type="button" className="button" onClick={() => setAdding((a) => !a)} aria-expanded={adding} disabled={parent?.choices.length === 0}>
            {addLabel}
          </button>
        )
      }
    >
      {intro}
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

// ------------------------------------------------------------------ constructs: import and map

function ImportConstructs({ libId, onChange }: { libId: string; onChange: Reload }) {
  const typeId = useId();
  const [path, setPath] = useState('');
  const [type, setType] = useState('');
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const types = useLookupChoices([CHILD_DEFS.constructs.fields.find((f) => f.name === 'construct_type')!]).construct_type ?? [];

  async function submit() {
    setError(null);
    setNote(null);
    if (!path.trim()) {
      setError({ code: 'invalid_request', message: 'Type or choose the path of a FASTA, GenBank or SnapGene file.' });
      return;
    }
    setBusy(true);
    try {
      const result = await request('libraries.importConstructs', { libId, path: path.trim(), ...(type ? { constructType: type } : {}) });
      setNote(`Imported ${result.ids.length} construct${result.ids.length === 1 ? '' : 's'} from ${path.trim()}.`);
      setPath('');
      onChange(result.library);
    } catch (err) {
      setError(toErrorBody(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="import-constructs" role="group" aria-label="Import constructs from a file">
      <p className="field-help">
        From a FASTA, GenBank (.gb) or SnapGene (.dna) file on the computer running Benchtop: one construct per record, with its sequence, length, GC and
        features.
      </p>
      <div className="input-row">
        <PathInput value={path} onChange={setPath} label="sequence file" testId="construct-file" placeholder="/path/to/construct.gb" />
        <select id={typeId} className="input narrow" value={type} onChange={(e) => setType(e.target.value)} aria-label="Construct type">
          <option value="">Type: from the file</option>
          {types.map((t) => (
            <option key={t.value} value={t.value}>
              {t.value}
            </option>
          ))}
        </select>
        <button type="button" className="button primary" onClick={() => void submit()} disabled={busy}>
          {busy ? 'Importing…' : 'Import'}
        </button>
      </div>
      {error ? <ErrorNotice error={error} compact /> : null}
      {note ? <InfoNotice tone="ok">{note}</InfoNotice> : null}
    </div>
  );
}

function ConstructPanel({ lib }: { lib: LibraryDetail }) {
  const withSequence = lib.constructs.filter((c) => typeof c.sequence === 'string' && c.sequence.length > 0);
  const [selected, setSelected] = useState<string>(text(withSequence[0]?.construct_id));
  const construct = withSequence.find((c) => text(c.construct_id) === selected) ?? withSequence[0];
  if (!construct) return null;
  const annotations = parseAnnotations(construct.annotations_json);
  const features = (annotations.features ?? []).filter((f) => f.type !== 'source');
  return (
    <Card
      title="Construct map"
      span={3}
      actions={
        withSequence.length > 1 ? (
          <select className="input narrow" value={text(construct.construct_id)} onChange={(e) => setSelected(e.target.value)} aria-label="Construct to show">
            {withSequence.map((c) => (
              <option key={text(c.construct_id)} value={text(c.construct_id)}>
                {text(c.name)}
              </option>
            ))}
          </select>
        ) : null
      }
    >
      <div className="construct-layout">
        <KeyValues
          items={[
            { label: 'Construct', value: text(construct.name), testId: 'construct-name' },
            { label: 'Length', value: `${formatCount(Number(construct.length))} bp`, testId: 'construct-length' },
            { label: 'GC', value: gcPercent(construct.gc_content) ?? '—', testId: 'construct-gc' },
            { label: 'Topology', value: annotations.topology ?? '—' },
            { label: 'Features', value: features.length ? features.map((f) => f.name ?? f.type).join(', ') : 'none' },
            { label: 'Organism', value: text(construct.organism) || '—' },
            { label: 'Accession', value: text(construct.genbank_accession) || '—', mono: true },
            { label: 'Source', value: construct.source_file ? `${text(construct.source_file)} (${text(construct.source_format)})` : '—', path: Boolean(construct.source_file) },
          ]}
        />
        <Suspense fallback={<EmptyState>Drawing the map…</EmptyState>}>
          <ConstructMap key={text(construct.construct_id)} name={text(construct.name)} sequence={text(construct.sequence)} annotationsJson={construct.annotations_json} />
        </Suspense>
      </div>
    </Card>
  );
}

// ------------------------------------------------------------------ header actions

function StatusControl({ lib, onChange }: { lib: LibraryDetail; onChange: Reload }) {
  const current = text(lib.spec.status) || 'draft';
  const next = STATUS_TRANSITIONS[current] ?? [];
  const [error, setError] = useState<ApiErrorBody | null>(null);
  async function go(status: string) {
    setError(null);
    try {
      onChange(await request('libraries.setStatus', { libId: text(lib.spec.lib_id), status }));
    } catch (err) {
      setError(toErrorBody(err));
    }
  }
  return (
    <>
      {next.map((s) => (
        <button key={s} type="button" className="button" onClick={() => void go(s)}>
          {s === 'active' ? 'Activate' : s === 'archived' ? 'Archive' : s === 'deprecated' ? 'Deprecate' : `Mark ${s}`}
        </button>
      ))}
      {error ? <ErrorNotice error={error} compact /> : null}
    </>
  );
}

function ExportForm({ lib, onClose }: { lib: LibraryDetail; onClose: () => void }) {
  const [format, setFormat] = useState<'yaml' | 'json'>('yaml');
  const [path, setPath] = useState('');
  const [result, setResult] = useState<OpResponse<'libraries.export'> | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  async function submit() {
    setError(null);
    try {
      setResult(await request('libraries.export', { libId: text(lib.spec.lib_id), format, ...(path.trim() ? { path: path.trim() } : {}) }));
    } catch (err) {
      setError(toErrorBody(err));
    }
  }
  const download = result ? URL.createObjectURL(new Blob([result.text], { type: format === 'json' ? 'application/json' : 'application/yaml' })) : null;
  useEffect(() => () => (download ? URL.revokeObjectURL(download) : undefined), [download]);
  return (
    <Card title="Export this library spec" span={3} actions={<button type="button" className="button" onClick={onClose}>Close</button>}>
      <p className="field-help">The whole spec — constructs, fragments, modifications, barcodes, sample preparation, QC thresholds, custom fields — as one file. Experiment links are not exported.</p>
      <div className="input-row">
        <div className="segmented" role="radiogroup" aria-label="Format">
          {(['yaml', 'json'] as const).map((f) => (
            <label className="segment" key={f}>
              <input type="radio" name="export-format" checked={format === f} onChange={() => setFormat(f)} />
              <span>{f.toUpperCase()}</span>
            </label>
          ))}
        </div>
        <PathInput value={path} onChange={setPath} label="export file" placeholder={`Optional: /path/to/${text(lib.spec.lib_name).replace(/\W+/g, '_')}.${format === 'json' ? 'json' : 'yaml'}`} testId="export-path" />
        <button type="button" className="button primary" onClick={() => void submit()}>
          Export
        </button>
      </div>
      {error ? <ErrorNotice error={error} compact /> : null}
      {result ? (
        <InfoNotice tone="ok">
          {result.path ? <>Written to <span className="mono">{result.path}</span>. </> : null}
          <a className="link" href={download ?? undefined} download={`${text(lib.spec.lib_id)}.${format === 'json' ? 'json' : 'yaml'}`}>
            Download {format.toUpperCase()}
          </a>
        </InfoNotice>
      ) : null}
    </Card>
  );
}

// ------------------------------------------------------------------ experiments

function ExperimentsCard({ lib, onChange }: { lib: LibraryDetail; onChange: Reload }) {
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

// ------------------------------------------------------------------ the page

export function LibraryDetailPage({ libId }: { libId: string }) {
  const [lib, setLib] = useState<LibraryDetail | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [actionError, setActionError] = useState<ApiErrorBody | null>(null);
  const [editingSpec, setEditingSpec] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);

  useEffect(() => {
    request('libraries.get', { libId })
      .then(setLib)
      .catch((err: unknown) => setError(toErrorBody(err)));
  }, [libId]);

  if (error) {
    return (
      <>
        <PageHeader title="Library spec" />
        <ErrorNotice error={error} />
        <a className="link" href={href('libraries')}>
          All library specs
        </a>
      </>
    );
  }
  if (!lib) return <PageHeader title="Library spec" description="Loading…" />;

  const s = lib.spec;
  const version = text(s.lib_version);
  const newest = lib.versions.at(-1);
  const constructChoices = lib.constructs.map((c) => ({ value: text(c.construct_id), label: text(c.name) }));
  const constructName = new Map(lib.constructs.map((c) => [text(c.construct_id), text(c.name)]));
  const fragmentChoices = lib.fragments.map((f) => ({ value: text(f.fragment_id), label: `${text(f.name)} (${constructName.get(text(f.construct_id)) ?? '?'})` }));
  const fragmentName = new Map(lib.fragments.map((f) => [text(f.fragment_id), text(f.name)]));

  async function deleteSpec() {
    setActionError(null);
    try {
      await request('libraries.delete', { libId });
      window.location.hash = href('libraries').slice(1);
    } catch (err) {
      setActionError(toErrorBody(err));
      setConfirmDelete(false);
    }
  }

  async function newVersionOf(major: boolean) {
    setActionError(null);
    try {
      const next = await request('libraries.newVersion', { libId, major });
      window.location.hash = libraryHref(text(next.spec.lib_id)).slice(1);
    } catch (err) {
      setActionError(toErrorBody(err));
    }
  }

  return (
    <>
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <a className="link" href={href('libraries')}>
          Libraries
        </a>{' '}
        / <span className="mono">{libId}</span>
      </nav>
      <PageHeader
        title={text(s.lib_name)}
        description={
          <>
            Version <strong data-testid="lib-version">{version}</strong> · <StatusBadge status={text(s.status) || 'draft'} />
            {s.project ? <> · project {text(s.project)}</> : null}
          </>
        }
        actions={
          <>
            <StatusControl lib={lib} onChange={setLib} />
            <button type="button" className="button" onClick={() => setExporting((e) => !e)} aria-expanded={exporting}>
              Export…
            </button>
            {lib.readOnly ? null : (
              <>
                <button type="button" className="button" onClick={() => setConfirmDelete(true)}>
                  Delete…
                </button>
                <button type="button" className="button" onClick={() => void newVersionOf(true)}>
                  New major version ({nextVersion(version, true)})
                </button>
                <button type="button" className="button primary" onClick={() => void newVersionOf(false)}>
                  New version ({nextVersion(version, false)})
                </button>
              </>
            )}
          </>
        }
      />
      {actionError ? <ErrorNotice error={actionError} /> : null}
      {confirmDelete ? (
        <div className="notice notice-error read-only-notice" role="alertdialog" aria-label="Delete this library spec">
          <strong className="notice-title">Delete {text(s.lib_name)} {version}?</strong>
          <span className="notice-message">Its constructs, fragments, modifications, barcodes, sample preparations, QC thresholds and custom fields go with it. This cannot be undone.</span>
          <span className="row-actions">
            <button type="button" className="button" onClick={() => void deleteSpec()}>
              Delete
            </button>
            <button type="button" className="button" onClick={() => setConfirmDelete(false)}>
              Cancel
            </button>
          </span>
        </div>
      ) : null}
      {lib.readOnly && newest ? (
        <div className="notice notice-info read-only-notice" role="status" data-testid="read-only-notice">
          <strong className="notice-title">Read-only</strong>
          <span className="notice-message">
            Version {version} was replaced by version {text(newest.lib_version)}. It stays as the record of what was sequenced with it and can no longer be edited.{' '}
            <a className="link" href={libraryHref(newest.lib_id)}>
              Open version {text(newest.lib_version)}
            </a>
          </span>
        </div>
      ) : null}
      {exporting ? <ExportForm lib={lib} onClose={() => setExporting(false)} /> : null}

      <div className="grid">
        <Card
          title="Specification"
          span={2}
          actions={
            lib.readOnly ? null : (
              <button type="button" className="button" onClick={() => setEditingSpec((e) => !e)} aria-expanded={editingSpec}>
                {editingSpec ? 'Close' : 'Edit'}
              </button>
            )
          }
        >
          {editingSpec && !lib.readOnly ? (
            <RowForm
              fields={SPEC_FIELDS.filter((f) => f.name !== 'status' && f.name !== 'lib_version')}
              row={s}
              label="Edit the specification"
              submitLabel="Save"
              testId="edit-spec"
              onCancel={() => setEditingSpec(false)}
              onSubmit={async (changes) => {
                setLib(await request('libraries.update', { libId, changes }));
                setEditingSpec(false);
              }}
            />
          ) : (
            <KeyValues
              columns
              items={[
                ...SPEC_FIELDS.filter((f) => f.name !== 'lib_name' && f.name !== 'description').map((f) => ({ label: f.label, value: text(s[f.name]) || '—', testId: `spec-${f.name}` })),
                { label: 'Created', value: s.created_at ? formatDateTime(text(s.created_at)) : '—' },
                { label: 'Updated', value: s.updated_at ? formatDateTime(text(s.updated_at)) : '—' },
                { label: 'Description', value: text(s.description) || '—' },
              ]}
            />
          )}
        </Card>
        <Card title="Versions">
          <ol className="version-list" data-testid="lib-versions">
            {lib.versions.map((v) => (
              <li key={v.lib_id}>
                {v.lib_id === libId ? <strong>{text(v.lib_version)} (this one)</strong> : <a className="link" href={libraryHref(v.lib_id)}>{text(v.lib_version)}</a>}{' '}
                <span className="muted small">{text(v.status)}</span>
              </li>
            ))}
          </ol>
        </Card>

        <ChildCard
          lib={lib}
          table="constructs"
          title="Constructs"
          addLabel="Add a construct"
          rows={lib.constructs}
          onChange={setLib}
          extra={lib.readOnly ? null : <ImportConstructs libId={libId} onChange={setLib} />}
          columns={[
            { key: 'name', header: 'Name' },
            { key: 'construct_type', header: 'Type' },
            { key: 'length', header: 'Length (bp)', numeric: true, render: (r) => (typeof r.length === 'number' ? formatCount(r.length) : '—') },
            { key: 'gc_content', header: 'GC', numeric: true, render: (r) => gcPercent(r.gc_content) ?? '—' },
            { key: 'source_format', header: 'Source' },
            { key: 'genbank_accession', header: 'Accession', mono: true },
            { key: 'organism', header: 'Organism' },
            { key: 'construct_id', header: 'Id', mono: true, render: (r) => <span className="small muted">{text(r.construct_id)}</span> },
          ]}
        />
        <ConstructPanel key={lib.constructs.map((c) => text(c.construct_id)).join()} lib={lib} />
        <ChildCard
          lib={lib}
          table="fragments"
          title="Fragments"
          addLabel="Add a fragment"
          rows={lib.fragments}
          onChange={setLib}
          parent={{ field: { name: 'construct_id', label: 'Construct', kind: 'text', required: true }, choices: constructChoices }}
          intro={lib.constructs.length === 0 ? <p className="muted small">Add or import a construct first: a fragment is cut or amplified from one.</p> : null}
          columns={[
            { key: 'name', header: 'Name' },
            { key: 'construct_id', header: 'Construct', render: (r) => constructName.get(text(r.construct_id)) ?? text(r.construct_id) },
            { key: 'fragment_type', header: 'Type' },
            { key: 'expected_len', header: 'Expected (bp)', numeric: true },
            { key: 'len_tolerance', header: '± (bp)', numeric: true },
            { key: 'len_min', header: 'Min', numeric: true },
            { key: 'len_max', header: 'Max', numeric: true },
            { key: 'expected_strand', header: 'Strand' },
            { key: 'strand_ratio', header: 'Strand ratio', numeric: true },
            { key: 'expected_fraction', header: 'Fraction', numeric: true },
            { key: 'is_sequenceable', header: 'Sequenceable', render: (r) => (r.is_sequenceable === 1 ? 'yes' : r.is_sequenceable === 0 ? 'no' : '—') },
          ]}
        />
        <ChildCard
          lib={lib}
          table="modifications"
          title="Modifications"
          addLabel="Add a modification"
          rows={lib.modifications}
          onChange={setLib}
          parent={{ field: { name: 'fragment_id', label: 'Fragment', kind: 'text', required: true }, choices: fragmentChoices }}
          columns={[
            { key: 'fragment_id', header: 'Fragment', render: (r) => fragmentName.get(text(r.fragment_id)) ?? text(r.fragment_id) },
            { key: 'mod_type', header: 'Modification' },
            { key: 'mod_code', header: 'Code', numeric: true },
            { key: 'expected_status', header: 'Expected' },
            { key: 'expected_fraction', header: 'Fraction', numeric: true },
            { key: 'motif', header: 'Motif', mono: true },
            { key: 'enzyme_used', header: 'Enzyme' },
            { key: 'notes', header: 'Notes', wrap: true },
          ]}
        />
        <ChildCard
          lib={lib}
          table="barcodes"
          title="Barcodes"
          addLabel="Add a barcode"
          rows={lib.barcodes}
          onChange={setLib}
          columns={[
            { key: 'barcode_kit', header: 'Kit' },
            { key: 'barcode_name', header: 'Barcode' },
            { key: 'sample_name', header: 'Sample' },
            { key: 'expected_constructs', header: 'Expected constructs' },
            { key: 'min_reads', header: 'Min reads', numeric: true },
            { key: 'min_purity', header: 'Min purity', numeric: true },
            { key: 'replicate_group', header: 'Replicate group' },
            { key: 'condition', header: 'Condition' },
          ]}
        />
        <ChildCard
          lib={lib}
          table="sample_prep"
          title="Sample preparation"
          addLabel="Add a preparation"
          rows={lib.sample_prep}
          onChange={setLib}
          columns={[
            { key: 'prep_date', header: 'Date' },
            { key: 'input_type', header: 'Input' },
            { key: 'extraction_method', header: 'Extraction' },
            { key: 'size_selection', header: 'Size selection' },
            { key: 'library_kit', header: 'Library kit' },
            { key: 'input_mass_ng', header: 'Input (ng)', numeric: true },
            { key: 'final_conc_ng_ul', header: 'Final (ng/µl)', numeric: true },
            { key: 'prepped_by', header: 'By' },
          ]}
        />
        <QcCard lib={lib} onChange={setLib} />
        <ChildCard
          lib={lib}
          table="custom_fields"
          title="Custom fields"
          addLabel="Add a custom field"
          rows={lib.custom_fields}
          onChange={setLib}
          columns={[
            { key: 'entity_type', header: 'Applies to' },
            { key: 'entity_id', header: 'Entity', mono: true },
            { key: 'field_name', header: 'Field' },
            { key: 'field_value', header: 'Value' },
            { key: 'field_type', header: 'Type' },
          ]}
        />
        <ExperimentsCard lib={lib} onChange={setLib} />
      </div>
    </>
  );
}

function QcCard({ lib, onChange }: { lib: LibraryDetail; onChange: Reload }) {
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
