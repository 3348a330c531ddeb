import { useEffect, useState } from 'react';
import type { ApiErrorBody } from '../../../shared/errors';
import { SPEC_FIELDS, type LibrarySummary } from '../../../shared/schemas/libraries';
import type { LookupRow, LookupTable, LookupTableInfo } from '../../../shared/schemas/lookups';
import { Card } from '../components/Card';
import { DataTable, type Column } from '../components/DataTable';
import { Placeholder } from '../components/KeyValues';
import { EmptyState, ErrorNotice } from '../components/Notice';
import { PageHeader } from '../components/PageHeader';
import { PathInput } from '../components/PathInput';
import { RowForm } from '../components/libraries/RowForm';
import { toErrorBody } from '../lib/errors';
import { formatCount, formatDateTime, plural } from '../lib/labels';
import { href, libraryHref, useRouteParam } from '../lib/router';
import { request } from '../stores/connectionStore';
import { useLookupsStore } from '../stores/lookupsStore';
import { LibraryDetailPage } from './LibraryDetailPage';
import { readOnlyTitle, useReadOnly } from '../stores/readOnly';

function ImportLibraryForm({ onCancel }: { onCancel: () => void }) {
  const [path, setPath] = useState('');
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit() {
    setError(null);
    if (!path.trim()) {
      setError({ code: 'invalid_request', message: 'Type or choose the path of a YAML or JSON file exported by Benchtop.' });
      return;
    }
    setBusy(true);
    try {
      const lib = await request('libraries.import', { path: path.trim() });
      window.location.hash = libraryHref(String(lib.spec.lib_id)).slice(1);
    } catch (err) {
      setError(toErrorBody(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Card title="Import a library spec">
      <div className="form" role="group" aria-label="Import a library spec">
        <p className="field-help">A whole spec from a YAML or JSON file (as written by Export). Its ids are kept: a spec already in this workspace is refused.</p>
        <PathInput value={path} onChange={setPath} label="library file" placeholder="/path/to/library.yaml" testId="library-import-path" />
        {error ? <ErrorNotice error={error} compact /> : null}
        <div className="form-actions">
          <button type="button" className="button primary" onClick={() => void submit()} disabled={busy}>
            {busy ? 'Importing…' : 'Import'}
          </button>
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </div>
    </Card>
  );
}

function LookupRows({ info }: { info: LookupTableInfo }) {
  const rows = useLookupsStore((s) => s.rows[info.table]);
  const error = useLookupsStore((s) => s.rowsError[info.table]);
  const loadRows = useLookupsStore((s) => s.loadRows);

  useEffect(() => {
    if (rows === undefined) void loadRows(info.table);
  }, [info.table, rows, loadRows]);

  if (error) return <ErrorNotice error={error} />;
  if (rows === undefined) return <EmptyState>Loading {info.label.toLowerCase()}…</EmptyState>;
  if (rows.length === 0) return <EmptyState>{info.label} has no rows yet. Add one in Settings.</EmptyState>;
  const columns: Column<LookupRow>[] = info.columns.map((c) => ({
    key: c.name,
    header: c.name,
    numeric: c.type !== 'TEXT',
    mono: c.primaryKey,
    wrap: /description|notes|comment/i.test(c.name),
  }));
  const pk = info.columns.find((c) => c.primaryKey)?.name ?? info.columns[0]?.name ?? '';
  return (
    <DataTable
      columns={columns}
      rows={rows}
      rowKey={(r, i) => `${String(r[pk])}:${i}`}
      caption={`${info.label} (${info.table})`}
      testId={`lookup-rows-${info.table}`}
    />
  );
}

export function LibrariesPage() {
  const id = useRouteParam();
  if (id) return <LibraryDetailPage key={id} libId={id} />;
  return <LibrariesListPage />;
}

function LibrariesListPage() {
  const readOnly = useReadOnly();
  const tables = useLookupsStore((s) => s.tables);
  const tablesError = useLookupsStore((s) => s.tablesError);
  const loadTables = useLookupsStore((s) => s.loadTables);
  const [selected, setSelected] = useState<LookupTable>('lk_pore_types');
  const [specs, setSpecs] = useState<LibrarySummary[] | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [showNew, setShowNew] = useState(false);
  const [showImport, setShowImport] = useState(false);

  useEffect(() => {
    void loadTables();
    request('libraries.list', {})
      .then(setSpecs)
      .catch((err: unknown) => setError(toErrorBody(err)));
  }, [loadTables]);

  const selectedInfo = tables?.find((t) => t.table === selected);

  return (
    <>
      <PageHeader
        title="Libraries"
        description="The design of each sequencing library — its constructs, fragments, modifications, barcodes, sample preparation and QC thresholds — written before sequencing and linked to the experiments it was sequenced in."
        actions={
          <>
            <button type="button" className="button" onClick={() => setShowImport((s) => !s)} aria-expanded={showImport} disabled={readOnly !== null} title={readOnlyTitle(readOnly)}>
              Import…
            </button>
            <button type="button" className="button primary" onClick={() => setShowNew((s) => !s)} aria-expanded={showNew} disabled={readOnly !== null} title={readOnlyTitle(readOnly)}>
              New library spec
            </button>
          </>
        }
      />
      {showNew || showImport ? (
        <div className="columns runs-forms">
          {showNew ? (
            <Card title="New library spec">
              <RowForm
                fields={SPEC_FIELDS.filter((f) => f.name !== 'status')}
                row={null}
                label="New library spec"
                submitLabel="Create"
                testId="new-library"
                onCancel={() => setShowNew(false)}
                onSubmit={async (spec) => {
                  const lib = await request('libraries.create', { spec });
                  window.location.hash = libraryHref(String(lib.spec.lib_id)).slice(1);
                }}
              />
            </Card>
          ) : null}
          {showImport ? <ImportLibraryForm onCancel={() => setShowImport(false)} /> : null}
        </div>
      ) : null}
      <div className="grid">
        <Card title="Library specs" span={3} flush={Boolean(specs?.length)}>
          {error ? <ErrorNotice error={error} compact /> : null}
          <p className={specs?.length ? 'lead card-lead' : 'lead'} data-testid="library-count">
            {specs === null ? <Placeholder /> : `${plural(specs.length, 'library specification')} in this workspace.`}
          </p>
          {specs?.length ? (
            <DataTable
              rows={specs}
              rowKey={(r) => r.lib_id}
              caption="Library specs"
              testId="library-list"
              columns={[
                { key: 'lib_name', header: 'Name', render: (r) => <a className="link" href={libraryHref(r.lib_id)}>{r.lib_name}</a> },
                { key: 'lib_version', header: 'Version' },
                { key: 'status', header: 'Status', render: (r) => <>{r.status}{r.readOnly ? <span className="muted small"> · read-only</span> : null}</> },
                { key: 'project', header: 'Project' },
                { key: 'constructs', header: 'Constructs', numeric: true },
                { key: 'barcodes', header: 'Barcodes', numeric: true },
                { key: 'experiments', header: 'Experiments', numeric: true },
                { key: 'updated_at', header: 'Updated', render: (r) => (r.updated_at ?? r.created_at ? formatDateTime(String(r.updated_at ?? r.created_at)) : '—') },
                { key: 'lib_id', header: 'Id', mono: true, render: (r) => <span className="small muted">{r.lib_id}</span> },
              ]}
            />
          ) : null}
        </Card>

        <Card
          title="Lookup tables"
          span={3}
          actions={
            <a className="link small" href={href('settings')}>
              Add a row in Settings
            </a>
          }
        >
          <p className="muted card-intro">
            The controlled vocabularies (seed 000) the library and experiment forms offer: pore types, flow cells, kits, basecall models and more. Choose a table to see its rows.
          </p>
          {tablesError ? <ErrorNotice error={tablesError} /> : null}
          <div className="picker-and-rows">
            <ul className="table-picker" aria-label="Lookup tables">
              {(tables ?? []).map((t) => (
                <li key={t.table}>
                  <button
                    type="button"
                    className="picker-item"
                    aria-pressed={t.table === selected}
                    onClick={() => setSelected(t.table)}
                    data-testid={`lookup-table-${t.table}`}
                  >
                    <span className="picker-label">{t.label}</span>
                    <span className="picker-count tabular">{formatCount(t.rows)}</span>
                  </button>
                </li>
              ))}
              {tables === null && !tablesError ? <li className="muted small">Loading…</li> : null}
            </ul>
            <div>
              {selectedInfo ? (
                <>
                  <h3 className="subheading">
                    {selectedInfo.label} <span className="muted mono small">{selectedInfo.table}</span>
                    <span className="muted small tabular"> · {plural(selectedInfo.rows, 'row')}</span>
                  </h3>
                  <LookupRows info={selectedInfo} />
                </>
              ) : null}
            </div>
          </div>
        </Card>
      </div>
    </>
  );
}
