import { useEffect, useState } from 'react';
import type { ApiErrorBody } from '../../../shared/errors';
import { SPEC_FIELDS, nextVersion, type LibraryDetail } from '../../../shared/schemas/libraries';
import { Card } from '../components/Card';
import { KeyValues } from '../components/KeyValues';
import { ErrorNotice } from '../components/Notice';
import { PageHeader } from '../components/PageHeader';
import { ChildCard } from '../components/libraries/ChildCard';
import { ConstructPanel, ImportConstructs } from '../components/libraries/Constructs';
import { ExperimentsCard } from '../components/libraries/ExperimentsCard';
import { QcCard } from '../components/libraries/QcCard';
import { RowForm } from '../components/libraries/RowForm';
import { ExportForm, StatusControl } from '../components/libraries/SpecActions';
import { gcPercent, text } from '../components/libraries/values';
import { toErrorBody } from '../lib/errors';
import { formatCount, formatDateTime } from '../lib/labels';
import { href, libraryHref } from '../lib/router';
import { request } from '../stores/connectionStore';

function StatusBadge({ status }: { status: string }) {
  return <span className={`lib-status lib-status-${status}`}>{status}</span>;
}

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
