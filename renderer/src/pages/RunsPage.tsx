import { useCallback, useEffect, useId, useState, type ChangeEvent, type FormEvent } from 'react';
import type { ApiErrorBody } from '../../../shared/errors';
import { formatBytes } from '../../../shared/format';
import { RUN_STATUSES, type RunSummary } from '../../../shared/schemas/runs';
import { DocumentKeyError, parseStrictJson } from '../../../shared/strictJson';
import { Card } from '../components/Card';
import { DataTable } from '../components/DataTable';
import { EmptyState, ErrorNotice } from '../components/Notice';
import { PageHeader } from '../components/PageHeader';
import { TrustPrompt } from '../components/TrustPrompt';
import { DropZone } from '../components/DropZone';
import { PathInput } from '../components/PathInput';
import { StatusLabel } from '../components/StatusDot';
import { toErrorBody } from '../lib/errors';
import { placeDroppedPaths } from '../lib/inputRoles';
import { capitalize, formatDateTime, plural } from '../lib/labels';
import { openRun, runHref, useRouteParam } from '../lib/router';
import { request } from '../stores/connectionStore';
import { RunDetailPage } from './RunDetailPage';
import { readOnlyTitle, useReadOnly } from '../stores/readOnly';

export function RunsPage() {
  const id = useRouteParam();
  if (id) return <RunDetailPage key={id} id={id} />;
  return <RunsListPage />;
}

function RunsListPage() {
  const readOnly = useReadOnly();
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState('');
  const [runs, setRuns] = useState<RunSummary[] | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [showNew, setShowNew] = useState(false);
  const [showImport, setShowImport] = useState(false);

  const load = useCallback(async () => {
    try {
      const result = await request('runs.list', { search: search.trim() || undefined, status: status || undefined, limit: 200 });
      setRuns(result.runs);
      setTotal(result.total);
      setError(null);
    } catch (err) {
      setError(toErrorBody(err));
    }
  }, [search, status]);

  useEffect(() => {
    const timer = setTimeout(() => void load(), 200);
    return () => clearTimeout(timer);
  }, [load]);

  return (
    <>
      <PageHeader
        title="Runs"
        description="Analysis runs: each has its own folder with its input files, every attempt of a step is a job with its command, tool version, exit code and live log."
        actions={
          <>
            <button type="button" className="button" onClick={() => setShowImport((s) => !s)} aria-expanded={showImport} disabled={readOnly !== null} title={readOnlyTitle(readOnly)}>
              Import…
            </button>
            <button type="button" className="button primary" onClick={() => setShowNew((s) => !s)} aria-expanded={showNew} disabled={readOnly !== null} title={readOnlyTitle(readOnly)}>
              New run
            </button>
          </>
        }
      />
      {error ? <ErrorNotice error={error} /> : null}
      <TrustPrompt />
      {showNew || showImport ? (
        <div className="columns runs-forms">
          {showNew ? <NewRunForm onCancel={() => setShowNew(false)} /> : null}
          {showImport ? <ImportRunForm onCancel={() => setShowImport(false)} /> : null}
        </div>
      ) : null}
      <Card
        title="Runs"
        flush
        actions={
          <div className="filters">
            <input
              className="input"
              type="search"
              placeholder="Search name, description, creator, id"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              aria-label="Search runs"
              data-testid="runs-search"
            />
            <select className="input" value={status} onChange={(e) => setStatus(e.target.value)} aria-label="Status" data-testid="runs-status">
              <option value="">Any status</option>
              {RUN_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {capitalize(s)}
                </option>
              ))}
            </select>
          </div>
        }
      >
        <p className="table-summary small muted" data-testid="run-count">
          {total === null ? 'Loading…' : search || status ? `${plural(total, 'run')} match.` : `${plural(total, 'analysis run')} in this workspace.`}
        </p>
        {runs && runs.length === 0 ? (
          <EmptyState>{search || status ? 'No run matches.' : 'No analysis runs yet: create one with “New run”.'}</EmptyState>
        ) : runs ? (
          <DataTable
            testId="runs-table"
            caption="Runs"
            rowKey={(r) => r.id}
            rows={runs}
            columns={[
              {
                key: 'name',
                header: 'Name',
                render: (r) => (
                  <a className="link" href={runHref(r.id)}>
                    {r.name}
                  </a>
                ),
              },
              { key: 'pipeline', header: 'Pipeline', mono: true },
              { key: 'status', header: 'Status', render: (r) => <StatusLabel status={r.status} /> },
              { key: 'currentStep', header: 'Current step', mono: true },
              { key: 'createdAt', header: 'Created', render: (r) => formatDateTime(r.createdAt) },
              { key: 'createdBy', header: 'By' },
              { key: 'inputCount', header: 'Inputs', numeric: true },
              { key: 'jobCount', header: 'Jobs', numeric: true },
              { key: 'id', header: 'Id', mono: true, render: (r) => <span className="small muted">{r.id}</span> },
            ]}
          />
        ) : null}
      </Card>
    </>
  );
}

type InputMode = 'copy' | 'link';

function InputModeChoice({ name, mode, onChange, label }: { name: string; mode: InputMode; onChange: (mode: InputMode) => void; label?: string }) {
  return (
    <div className="segmented" role="radiogroup" aria-label={label}>
      {(['copy', 'link'] as const).map((m) => (
        <label key={m} className="segment">
          <input type="radio" name={name} value={m} checked={mode === m} onChange={() => onChange(m)} />
          <span>{m === 'copy' ? 'Copies' : 'Links (no copy)'}</span>
        </label>
      ))}
    </div>
  );
}

interface InputRow {
  key: number;
  role: string;
  path: string;
}

const ROLE = /^[A-Za-z0-9_]{1,32}$/;

function nextKey(rows: InputRow[]): number {
  return Math.max(0, ...rows.map((x) => x.key)) + 1;
}

function NewRunForm({ onCancel }: { onCancel: () => void }) {
  const nameId = useId();
  const descId = useId();
  const byId = useId();
  const pipeId = useId();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [createdBy, setCreatedBy] = useState('');
  const [pipeline, setPipeline] = useState('qslam');
  const [pipelines, setPipelines] = useState<string[]>(['qslam']);
  const [inputs, setInputs] = useState<InputRow[]>([
    { key: 1, role: 'R1', path: '' },
    { key: 2, role: 'R2', path: '' },
  ]);
  const [mode, setMode] = useState<InputMode>('copy');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    request('steps.list', {})
      .then((c) => {
        const names = [...new Set(c.steps.map((s) => s.pipeline).filter((p): p is string => !!p))];
        if (names.length > 0) setPipelines(names.includes('qslam') ? names : ['qslam', ...names]);
      })
      .catch(() => undefined);
  }, []);

  function update(key: number, patch: Partial<InputRow>) {
    setInputs((rows) => rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errors: Record<string, string> = {};
    if (!name.trim()) errors.name = 'Name: give the run a name.';
    const used = new Set<string>();
    const filled = inputs.filter((r) => r.role.trim() || r.path.trim());
    for (const r of filled) {
      if (!ROLE.test(r.role.trim())) errors[`role-${r.key}`] = 'Role: 1–32 letters, digits or _.';
      else if (used.has(r.role.trim())) errors[`role-${r.key}`] = `Role: ${r.role.trim()} is used twice.`;
      used.add(r.role.trim());
      if (!r.path.trim()) errors[`path-${r.key}`] = `Input ${r.role.trim() || ''}: type the path of the file.`;
    }
    setFieldErrors(errors);
    setError(null);
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    try {
      const run = await request('runs.create', {
        name: name.trim(),
        description: description.trim() || undefined,
        createdBy: createdBy.trim() || undefined,
        pipeline,
        inputs: filled.map((r) => ({ role: r.role.trim(), path: r.path.trim() })),
        mode,
        params: {},
      });
      openRun(run.id);
    } catch (err) {
      const body = toErrorBody(err);
      // Put the error beside the input it names, when it names one.
      const row = filled.find((r) => r.path.trim() && body.message.includes(r.path.trim()));
      if (row) setFieldErrors({ [`path-${row.key}`]: body.message });
      else if (/\bname\b/i.test(body.message) && !/file|path/i.test(body.message)) setFieldErrors({ name: body.message });
      else setError(body);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title="New run">
      <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-label="New run">
        <div className="fields">
          <div className="field">
            <label htmlFor={nameId} className="field-label">
              Name <span className="field-required">required</span>
            </label>
            <input
              id={nameId}
              className="input"
              value={name}
              onChange={(e) => setName(e.target.value)}
              aria-invalid={fieldErrors.name ? true : undefined}
              aria-describedby={fieldErrors.name ? `${nameId}-err` : undefined}
              data-testid="run-name"
            />
            {fieldErrors.name ? (
              <span id={`${nameId}-err`} className="field-problem">
                {fieldErrors.name}
              </span>
            ) : null}
          </div>
          <div className="field">
            <label htmlFor={byId} className="field-label">
              Created by
            </label>
            <input id={byId} className="input" value={createdBy} onChange={(e) => setCreatedBy(e.target.value)} data-testid="run-created-by" />
          </div>
          <div className="field">
            <label htmlFor={pipeId} className="field-label">
              Pipeline
            </label>
            <select id={pipeId} className="input" value={pipeline} onChange={(e) => setPipeline(e.target.value)}>
              {pipelines.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </div>
        </div>
        <label htmlFor={descId} className="field-label">
          Description
        </label>
        <textarea id={descId} className="input textarea" rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />

        <DropZone label="Input files: drop files here" onPaths={(paths) => setInputs((rows) => placeDroppedPaths(rows, paths, (role, path) => ({ key: nextKey(rows), role, path })))}>
        <fieldset className="fieldset">
          <legend className="field-label">Input files</legend>
          <p className="field-help">Paths on the computer running Benchtop, or drop the files here. Each file’s size and sha256 are recorded.</p>
          {inputs.map((r, i) => (
            <div key={r.key} className="input-file-row" data-testid={`input-row-${i}`}>
              <div className="field role-field">
                <input
                  className="input mono"
                  value={r.role}
                  onChange={(e) => update(r.key, { role: e.target.value })}
                  aria-label={`Role of input ${i + 1}`}
                  aria-invalid={fieldErrors[`role-${r.key}`] ? true : undefined}
                  data-testid={`input-role-${i}`}
                />
              </div>
              <div className="field path-field">
                <PathInput
                  value={r.path}
                  onChange={(v) => update(r.key, { path: v })}
                  label={`path of input ${r.role || i + 1}`}
                  invalid={!!fieldErrors[`path-${r.key}`]}
                  testId={`input-path-${i}`}
                  after={
                    <button type="button" className="button" onClick={() => setInputs((rows) => rows.filter((x) => x.key !== r.key))} aria-label={`Remove input ${r.role || i + 1}`}>
                      Remove
                    </button>
                  }
                />
              </div>
              {fieldErrors[`role-${r.key}`] || fieldErrors[`path-${r.key}`] ? (
                <span className="field-problem row-problem" role="alert">
                  {[fieldErrors[`role-${r.key}`], fieldErrors[`path-${r.key}`]].filter(Boolean).join(' ')}
                </span>
              ) : null}
            </div>
          ))}
          <div>
            <button type="button" className="button" onClick={() => setInputs((rows) => [...rows, { key: nextKey(rows), role: '', path: '' }])}>
              Add input
            </button>
          </div>
        </fieldset>
        </DropZone>

        <fieldset className="fieldset">
          <legend className="field-label">Files go into the run’s rawdata/ folder as</legend>
          <InputModeChoice name="mode" mode={mode} onChange={setMode} />
        </fieldset>
        {error ? <ErrorNotice error={error} compact /> : null}
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy} data-testid="create-run">
            {busy ? 'Creating…' : 'Create run'}
          </button>
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </Card>
  );
}

function ImportRunForm({ onCancel }: { onCancel: () => void }) {
  const textId = useId();
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [paths, setPaths] = useState<Record<string, string>>({});
  const [mode, setMode] = useState<InputMode>('copy');
  const [allowMismatch, setAllowMismatch] = useState(false);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [busy, setBusy] = useState(false);
  const parsed = parseExport(text, fileName);

  async function readFile(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    if (!file) return;
    setText(await file.text());
    setFileName(file.name);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if ('error' in parsed) {
      setError({ code: 'invalid_request', message: parsed.error });
      return;
    }
    setBusy(true);
    try {
      const inputs = parsed.inputs.filter((i) => paths[i.role]?.trim()).map((i) => ({ role: i.role, path: (paths[i.role] ?? '').trim() }));
      const run = await request('runs.import', { config: parsed.config, ...(fileName ? { source: fileName } : {}), inputs, mode, allowChecksumMismatch: allowMismatch || undefined });
      openRun(run.id);
    } catch (err) {
      setError(toErrorBody(err));
    } finally {
      setBusy(false);
    }
  }

  const inputs = 'error' in parsed ? [] : parsed.inputs;
  return (
    <Card title="Import a run">
      <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-label="Import a run">
        <p className="field-help">A run’s configuration exported as JSON (from Export on a run’s page): a new run with the same name, parameters and input roles.</p>
        <input type="file" accept=".json,application/json" onChange={(e) => void readFile(e)} aria-label="Exported run file" />
        <label htmlFor={textId} className="field-label">
          Exported JSON
        </label>
        <textarea id={textId} className="input textarea mono" rows={8} value={text} onChange={(e) => { setText(e.target.value); setFileName(null); }} placeholder='{"format": "benchtop-run", …}' data-testid="import-json" />
        {inputs.length > 0 ? (
          <DropZone label="Input files: drop files here" onPaths={(dropped) => setPaths((p) => placeByRole(inputs, p, dropped))}>
            <fieldset className="fieldset">
              <legend className="field-label">Input files (optional)</legend>
              <p className="field-help">The exported run had these inputs. Give the same files again (their sha256 is checked), or leave them empty.</p>
              {inputs.map((i) => (
                <div key={i.role} className="field">
                  <span className="field-label mono">
                    {i.role} <span className="muted small">{i.name} · {formatBytes(i.bytes)}</span>
                  </span>
                  <PathInput value={paths[i.role] ?? ''} onChange={(v) => setPaths((p) => ({ ...p, [i.role]: v }))} label={`path of input ${i.role}`} testId={`import-input-${i.role}`} />
                </div>
              ))}
              <InputModeChoice name="import-mode" mode={mode} onChange={setMode} label="Files go into rawdata/ as" />
              <label className="checkbox">
                <input type="checkbox" checked={allowMismatch} onChange={(e) => setAllowMismatch(e.target.checked)} /> Accept files whose sha256 differs from the exported one
              </label>
            </fieldset>
          </DropZone>
        ) : null}
        {error ? <ErrorNotice error={error} compact /> : null}
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy || !text.trim()} data-testid="import-run">
            {busy ? 'Importing…' : 'Import run'}
          </button>
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </Card>
  );
}

interface ExportedInput {
  role: string;
  name: string;
  bytes: number;
}

/** The pasted export, parsed far enough to list its input roles; the main process validates the rest. */
function parseExport(text: string, source: string | null): { config: unknown; inputs: ExportedInput[] } | { error: string } {
  if (!text.trim()) return { error: 'Paste or choose an exported run.' };
  try {
    const config = parseStrictJson(text) as { inputs?: unknown };
    const inputs = Array.isArray(config.inputs)
      ? (config.inputs as Partial<ExportedInput>[]).filter((i): i is ExportedInput => typeof i?.role === 'string' && typeof i.name === 'string' && typeof i.bytes === 'number')
      : [];
    return { config, inputs };
  } catch (err) {
    if (err instanceof DocumentKeyError) return { error: `${source ?? 'Exported run JSON'}: ${err.message}` };
    return { error: `${source ?? 'Exported run JSON'}: not valid JSON (${(err as Error).message}).` };
  }
}

/** Dropped files go to the role whose exported file name they share, else to the first empty role. */
function placeByRole(inputs: ExportedInput[], paths: Record<string, string>, dropped: string[]): Record<string, string> {
  const out = { ...paths };
  for (const path of dropped) {
    const name = path.split(/[\\/]/).pop();
    const role = inputs.find((i) => i.name === name && !out[i.role])?.role ?? inputs.find((i) => !out[i.role])?.role;
    if (role) out[role] = path;
  }
  return out;
}
