import { useEffect, useId, useState, useSyncExternalStore, type FormEvent } from 'react';
import type { ApiErrorBody } from '../../../shared/errors';
import type { LookupRow, LookupTableInfo } from '../../../shared/schemas/lookups';
import type { OpResponse } from '../../../shared/contract';
import { Card } from '../components/Card';
import { AuditCard } from '../components/settings/AuditCard';
import { BackupsCard } from '../components/settings/BackupsCard';
import { DataTable } from '../components/DataTable';
import { KeyValues } from '../components/KeyValues';
import { ErrorNotice, InfoNotice } from '../components/Notice';
import { PageHeader } from '../components/PageHeader';
import { toErrorBody } from '../lib/errors';
import { WORKSPACE_SOURCE, capitalize, formatCount, plural } from '../lib/labels';
import { href } from '../lib/router';
import { setTheme, useTheme, type ThemeChoice } from '../lib/theme';
import { request } from '../stores/connectionStore';
import { useInventoryStore } from '../stores/inventoryStore';
import { useLookupsStore } from '../stores/lookupsStore';
import { onWorkspaceChanged } from '../stores/sync';
import { useSystemStore } from '../stores/systemStore';
import { readOnlyTitle, useReadOnly } from '../stores/readOnly';

function WorkspaceCard() {
  const workspace = useSystemStore((s) => s.workspace);
  return (
    <Card title="Workspace">
      <KeyValues
        items={[
          { label: 'Folder', value: workspace?.path ?? null, path: true, testId: 'settings-workspace-path' },
          { label: 'Chosen by', value: workspace ? capitalize(WORKSPACE_SOURCE[workspace.source]) : null, testId: 'settings-workspace-source' },
          { label: 'Central database', value: workspace?.centralDb ?? null, path: true },
          { label: 'Read databases', value: workspace?.readsDir ?? null, path: true },
          { label: 'Runs', value: workspace?.runsDir ?? null, path: true },
          { label: 'References', value: workspace?.referencesDir ?? null, path: true },
          { label: 'Own steps', value: workspace?.stepsDir ?? null, path: true },
          { label: 'Backups', value: workspace?.backupsDir ?? null, path: true },
        ]}
      />
    </Card>
  );
}

function SwitchWorkspaceCard() {
  const inputId = useId();
  const helpId = useId();
  const errorId = useId();
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [dialogNote, setDialogNote] = useState<string | null>(null);
  const [switched, setSwitched] = useState<string | null>(null);

  async function choose() {
    setError(null);
    setDialogNote(null);
    try {
      const result = await request('dialog.open', { kind: 'folder', title: 'Choose a workspace folder' });
      if (result.paths[0]) setPath(result.paths[0]);
    } catch (err) {
      const body = toErrorBody(err);
      // In the browser there is no native dialog: say so kindly and leave the text field to do the job.
      if (body.code === 'unsupported') setDialogNote(body.message);
      else setError(body);
    }
  }

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError(null);
    setSwitched(null);
    const target = path.trim();
    if (!target) {
      setError({ code: 'invalid_request', message: 'Type or paste the path of the folder to open.' });
      return;
    }
    setBusy(true);
    try {
      const info = await request('workspace.switch', { path: target });
      onWorkspaceChanged(info);
      setSwitched(info.path);
      setPath('');
      setDialogNote(null);
    } catch (err) {
      setError(toErrorBody(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title="Open another workspace">
      <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-label="Open another workspace">
        <label htmlFor={inputId} className="field-label">
          Folder
        </label>
        <div className="input-row">
          <input
            id={inputId}
            className="input mono"
            type="text"
            value={path}
            onChange={(e) => setPath(e.target.value)}
            placeholder="/path/to/workspace"
            spellCheck={false}
            autoComplete="off"
            aria-describedby={error ? `${helpId} ${errorId}` : helpId}
            aria-invalid={error ? true : undefined}
          />
          <button type="button" className="button" onClick={() => void choose()}>
            Choose…
          </button>
        </div>
        <p id={helpId} className="field-help">
          An existing workspace, or an empty or new folder (Benchtop creates its folders and database there). It is remembered for next time.
        </p>
        {dialogNote ? (
          <p className="field-note" role="status" data-testid="dialog-note">
            {dialogNote}
          </p>
        ) : null}
        {error ? (
          <div id={errorId}>
            <ErrorNotice error={error} compact />
          </div>
        ) : null}
        {switched ? (
          <InfoNotice tone="ok">
            Now working in <span className="mono">{switched}</span>.
          </InfoNotice>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Opening…' : 'Open workspace'}
          </button>
        </div>
      </form>
    </Card>
  );
}

function DatabaseCard() {
  const inventory = useInventoryStore((s) => s.inventory);
  const inventoryError = useInventoryStore((s) => s.error);
  const loadInventory = useInventoryStore((s) => s.load);

  useEffect(() => {
    void loadInventory();
  }, [loadInventory]);

  const totalRows = inventory?.tables.reduce((n, t) => n + t.rows, 0) ?? null;

  return (
    <Card title="Central database">
      {inventoryError ? <ErrorNotice error={inventoryError} compact /> : null}
      {inventory ? (
        <details className="details">
          <summary>
            Schema v{inventory.schemaVersion} · {plural(inventory.tables.length, 'table')} · {plural(totalRows ?? 0, 'row')} ·{' '}
            {plural(inventory.indexes, 'index', 'indexes')}
          </summary>
          <DataTable
            columns={[
              { key: 'name', header: 'Table', mono: true },
              { key: 'kind', header: 'Kind', render: (r) => capitalize(String(r.kind)) },
              { key: 'rows', header: 'Rows', numeric: true, render: (r) => formatCount(Number(r.rows)) },
            ]}
            rows={inventory.tables}
            rowKey={(r) => r.name}
            caption="Tables of the central database"
            maxHeight={320}
          />
        </details>
      ) : null}
    </Card>
  );
}

function fieldValue(column: LookupTableInfo['columns'][number], text: string): string | number {
  if (column.type === 'TEXT') return text;
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}

function AddLookupRowCard() {
  const readOnly = useReadOnly();
  const tables = useLookupsStore((s) => s.tables);
  const tablesError = useLookupsStore((s) => s.tablesError);
  const loadTables = useLookupsStore((s) => s.loadTables);
  const add = useLookupsStore((s) => s.add);
  const selectId = useId();
  const formId = useId();
  const [table, setTable] = useState<string>('lk_sequencing_kits');
  const [values, setValues] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [added, setAdded] = useState<{ label: string; key: string } | null>(null);

  useEffect(() => {
    if (tables === null) void loadTables();
  }, [tables, loadTables]);

  const info = tables?.find((t) => t.table === table) ?? null;

  function chooseTable(next: string) {
    setTable(next);
    setValues({});
    setError(null);
    setAdded(null);
  }

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!info) return;
    setError(null);
    setAdded(null);
    const row: LookupRow = {};
    for (const column of info.columns) {
      const text = (values[column.name] ?? '').trim();
      if (text !== '') row[column.name] = fieldValue(column, text);
    }
    const pk = info.columns.find((c) => c.primaryKey);
    setBusy(true);
    try {
      const stored = await add(info.table, row);
      setAdded({ label: info.label, key: String(pk ? stored[pk.name] : '') });
      setValues({});
    } catch (err) {
      setError(toErrorBody(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title="Add a lookup row">
      {tablesError ? <ErrorNotice error={tablesError} compact /> : null}
      <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-label="Add a lookup row">
        <label htmlFor={selectId} className="field-label">
          Table
        </label>
        <select id={selectId} className="input" value={table} onChange={(e) => chooseTable(e.target.value)}>
          {(tables ?? []).map((t) => (
            <option key={t.table} value={t.table}>
              {t.label} ({formatCount(t.rows)})
            </option>
          ))}
        </select>
        {info ? (
          <div className="fields">
            {info.columns.map((c) => {
              const id = `${formId}-${c.name}`;
              return (
                <div className="field" key={c.name}>
                  <label htmlFor={id} className="field-label">
                    <span className="mono">{c.name}</span>
                    {c.primaryKey ? <span className="field-required"> key, required</span> : null}
                    {c.type !== 'TEXT' ? <span className="field-type"> {c.type === 'INTEGER' ? 'whole number' : 'number'}</span> : null}
                  </label>
                  <input
                    id={id}
                    name={c.name}
                    className="input"
                    type="text"
                    inputMode={c.type === 'TEXT' ? undefined : c.type === 'INTEGER' ? 'numeric' : 'decimal'}
                    value={values[c.name] ?? ''}
                    onChange={(e) => setValues((v) => ({ ...v, [c.name]: e.target.value }))}
                    aria-required={c.primaryKey || undefined}
                    spellCheck={false}
                    autoComplete="off"
                  />
                </div>
              );
            })}
          </div>
        ) : null}
        <p className="field-help">Empty fields take the table's default. Existing rows are never changed.</p>
        {error ? <ErrorNotice error={error} compact /> : null}
        {added ? (
          <InfoNotice tone="ok">
            Added <span className="mono">{added.key}</span> to {added.label}.{' '}
            <a className="link" href={href('libraries')}>
              See it on Libraries
            </a>
          </InfoNotice>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy || !info || readOnly !== null} title={readOnlyTitle(readOnly)}>
            {busy ? 'Adding…' : 'Add row'}
          </button>
        </div>
      </form>
    </Card>
  );
}

const darkQuery = () => window.matchMedia('(prefers-color-scheme: dark)');

function JobsCard() {
  const inputId = useId();
  const [state, setState] = useState<OpResponse<'jobs.concurrency'> | null>(null);
  const [value, setValue] = useState('');
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    request('jobs.concurrency', {})
      .then((c) => {
        setState(c);
        setValue(String(c.max));
      })
      .catch((err: unknown) => setError(toErrorBody(err)));
  }, []);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError(null);
    setSaved(false);
    const max = Number(value);
    if (!/^\d+$/.test(value.trim()) || max < 1 || max > 64) {
      setError({ code: 'invalid_request', message: 'Jobs at once: a whole number from 1 to 64.' });
      return;
    }
    try {
      setState(await request('jobs.setConcurrency', { max }));
      setSaved(true);
    } catch (err) {
      setError(toErrorBody(err));
    }
  }

  return (
    <Card title="Jobs">
      <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-label="Jobs at once">
        <label htmlFor={inputId} className="field-label">
          Jobs at once
        </label>
        <div className="input-row">
          <input id={inputId} className="input" type="number" min={1} max={64} value={value} onChange={(e) => setValue(e.target.value)} data-testid="max-jobs" />
          <button type="submit" className="button">
            Save
          </button>
        </div>
        <p className="field-help">
          Further launches wait as pending until one ends. The default is the number of processor cores.
          {state ? ` Now: ${plural(state.running, 'job')} running, ${state.pending} waiting.` : ''}
        </p>
        {error ? <ErrorNotice error={error} compact /> : null}
        {saved && state ? (
          <InfoNotice tone="ok">
            <span data-testid="max-jobs-saved">Up to {plural(state.max, 'job')} run at once.</span>
          </InfoNotice>
        ) : null}
      </form>
    </Card>
  );
}

function useOsTheme(): 'light' | 'dark' {
  return useSyncExternalStore(
    (onChange) => {
      const q = darkQuery();
      q.addEventListener('change', onChange);
      return () => q.removeEventListener('change', onChange);
    },
    () => (darkQuery().matches ? 'dark' : 'light'),
  );
}

function AppearanceCard() {
  const theme = useTheme();
  const os = useOsTheme();
  const name = useId();
  const choices: { value: ThemeChoice; label: string; hint?: string }[] = [
    { value: 'system', label: 'System', hint: `follows the OS, now ${os}` },
    { value: 'light', label: 'Light' },
    { value: 'dark', label: 'Dark' },
  ];
  return (
    <Card title="Appearance">
      <fieldset className="fieldset">
        <legend className="field-label">Theme</legend>
        <div className="segmented">
          {choices.map((c) => (
            <label key={c.value} className="segment">
              <input type="radio" name={name} value={c.value} checked={theme === c.value} onChange={() => setTheme(c.value)} />
              <span>{c.label}</span>
            </label>
          ))}
        </div>
        <p className="field-help">
          {theme === 'system' ? `System follows your operating system (now ${os}).` : `${capitalize(theme)} on this computer, whatever the OS says.`} Saved in this
          browser profile.
        </p>
      </fieldset>
    </Card>
  );
}

export function SettingsPage() {
  const loadWorkspace = useSystemStore((s) => s.loadWorkspace);
  useEffect(() => {
    void loadWorkspace();
  }, [loadWorkspace]);

  return (
    <>
      <PageHeader title="Settings" description="The workspace Benchtop works in, its database and its backups, the lookup vocabularies, the audit trail and how Benchtop looks." />
      <div className="columns">
        <div className="stack">
          <WorkspaceCard />
          <DatabaseCard />
          <BackupsCard />
          <AddLookupRowCard />
        </div>
        <div className="stack">
          <SwitchWorkspaceCard />
          <JobsCard />
          <AppearanceCard />
        </div>
      </div>
      <AuditCard />
    </>
  );
}
