import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import type { ApiErrorBody } from '../../../shared/errors';
import type { ToolInfo } from '../../../shared/schemas/steps';
import { Card } from '../components/Card';
import { Placeholder } from '../components/KeyValues';
import { ErrorNotice } from '../components/Notice';
import { PageHeader } from '../components/PageHeader';
import { Path } from '../components/Path';
import { PathInput } from '../components/PathInput';
import { TrustPrompt } from '../components/TrustPrompt';
import { toErrorBody } from '../lib/errors';
import { plural } from '../lib/labels';
import { request } from '../stores/connectionStore';
import { useSystemStore } from '../stores/systemStore';
import { useTrustStore } from '../stores/trustStore';
import { TableScroll } from '../components/TableScroll';

function InstallHint({ tool }: { tool: ToolInfo }) {
  const hints = [tool.install.debian ? `apt install ${tool.install.debian}` : null, tool.install.conda ? `conda install ${tool.install.conda}` : null].filter(
    (h): h is string => !!h,
  );
  if (hints.length === 0) return <span className="muted">No install hint in the step definition.</span>;
  return (
    <span className="install-hint" data-testid={`install-${tool.name}`}>
      Install with{' '}
      {hints.map((h, i) => (
        <span key={h}>
          {i > 0 ? ' or ' : null}
          <code className="mono">{h}</code>
        </span>
      ))}
    </span>
  );
}

function SetPathForm({ tool, onSaved, onCancel }: { tool: ToolInfo; onSaved: (t: ToolInfo) => void; onCancel: () => void }) {
  const id = useId();
  const [path, setPath] = useState(tool.custom && tool.path ? tool.path : '');
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [busy, setBusy] = useState(false);

  async function save(value: string | null) {
    setBusy(true);
    setError(null);
    try {
      onSaved(await request('tools.setPath', { name: tool.name, path: value }));
    } catch (err) {
      setError(toErrorBody(err));
    } finally {
      setBusy(false);
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!path.trim()) {
      setError({ code: 'invalid_request', message: `Path of ${tool.name}: type the path of the executable, or use Clear to go back to PATH.` });
      return;
    }
    void save(path.trim());
  }

  return (
    <form className="form set-path-form" onSubmit={submit} noValidate aria-label={`Set the path of ${tool.name}`}>
      <label htmlFor={id} className="field-label">
        Executable for {tool.name}
      </label>
      <PathInput id={id} value={path} onChange={setPath} label={`${tool.name} executable`} invalid={!!error} testId={`path-${tool.name}`} />
      {error ? <ErrorNotice error={error} compact /> : null}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy}>
          Save
        </button>
        {tool.custom ? (
          <button type="button" className="button" onClick={() => void save(null)} disabled={busy}>
            Clear (use PATH)
          </button>
        ) : null}
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function ToolsPage() {
  const workspace = useSystemStore((s) => s.workspace);
  const loadWorkspace = useSystemStore((s) => s.loadWorkspace);
  const [tools, setTools] = useState<ToolInfo[] | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [refreshing, setRefreshing] = useState(false);

  const load = useCallback(async (refresh: boolean) => {
    setRefreshing(refresh);
    try {
      setTools(await request(refresh ? 'tools.refresh' : 'tools.list', {}));
      setError(null);
    } catch (err) {
      setError(toErrorBody(err));
    } finally {
      setRefreshing(false);
    }
  }, []);

  // Reloaded when the workspace is trusted: its own definitions' tools are probed from then on.
  const trustRevision = useTrustStore((s) => s.revision);
  useEffect(() => {
    void loadWorkspace();
    request('tools.list', {}).then(setTools, (err: unknown) => setError(toErrorBody(err)));
  }, [loadWorkspace, trustRevision]);

  const missing = tools?.filter((t) => !t.found).length ?? 0;

  return (
    <>
      <PageHeader
        title="Tools"
        description="The programs the pipeline steps run, as found on this computer: path and version. Point a tool at another executable when it is not on PATH."
        actions={
          <button type="button" className="button" onClick={() => void load(true)} disabled={refreshing} data-testid="tools-refresh">
            {refreshing ? 'Probing…' : 'Refresh'}
          </button>
        }
      />
      {error ? <ErrorNotice error={error} /> : null}
      <TrustPrompt />
      <Card title="Tools" flush>
        <p className="table-summary small muted" data-testid="tools-summary">
          {tools ? `${plural(tools.length, 'tool')} needed by the steps · ${missing === 0 ? 'all found' : `${missing} missing`}` : 'Probing the tools…'}
        </p>
        {tools ? (
          <TableScroll label="Tools">
            <table className="table tools-table" data-testid="tools-table">
              <thead>
                <tr>
                  <th scope="col">Tool</th>
                  <th scope="col">Status</th>
                  <th scope="col">Version</th>
                  <th scope="col">Path</th>
                  <th scope="col">Needed by</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {tools.map((t) => (
                  <ToolRow
                    key={t.name}
                    tool={t}
                    editing={editing === t.name}
                    onEdit={() => setEditing((e) => (e === t.name ? null : t.name))}
                    onSaved={(nt) => {
                      setTools((list) => list?.map((x) => (x.name === nt.name ? nt : x)) ?? null);
                      setEditing(null);
                    }}
                    onCancel={() => setEditing(null)}
                  />
                ))}
              </tbody>
            </table>
          </TableScroll>
        ) : null}
      </Card>
      <Card title="Step definitions" className="narrow steps-dir-card">
        <p className="muted">
          Steps are data: besides the built-in definitions, Benchtop reads your own from{' '}
          <span data-testid="steps-dir">{workspace ? <Path value={workspace.stepsDir} /> : <Placeholder />}</span>.
        </p>
      </Card>
    </>
  );
}

function ToolRow({ tool, editing, onEdit, onSaved, onCancel }: { tool: ToolInfo; editing: boolean; onEdit: () => void; onSaved: (t: ToolInfo) => void; onCancel: () => void }) {
  return (
    <>
      <tr data-testid={`tool-${tool.name}`} data-found={tool.found}>
        <th scope="row" className="mono">
          {tool.name}
        </th>
        <td>
          <span className="status">
            <span className={`status-dot ${tool.found ? 'tone-ok' : 'tone-bad'}`} aria-hidden="true" />
            {tool.found ? (tool.custom ? 'Found (custom path)' : 'Found') : 'Missing'}
          </span>
        </td>
        <td className="mono" data-testid={`version-${tool.name}`}>
          {tool.version ?? <span className="null">—</span>}
        </td>
        <td className="wrap">{tool.path ? <Path value={tool.path} /> : <span className="null">—</span>}</td>
        <td className="wrap mono small">{tool.requiredBy.join(', ')}</td>
        <td className="num">
          <button type="button" className="button small-button" onClick={onEdit} aria-expanded={editing}>
            Set path
          </button>
        </td>
      </tr>
      {!tool.found || tool.error ? (
        <tr className="tool-detail">
          <td />
          <td colSpan={5} className="wrap">
            {!tool.found ? <InstallHint tool={tool} /> : null}
            {tool.error ? <div className="tool-error small">{tool.error}</div> : null}
          </td>
        </tr>
      ) : null}
      {editing ? (
        <tr className="tool-detail">
          <td />
          <td colSpan={5} className="wrap">
            <SetPathForm tool={tool} onSaved={onSaved} onCancel={onCancel} />
          </td>
        </tr>
      ) : null}
    </>
  );
}
