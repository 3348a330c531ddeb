import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import type { ApiErrorBody } from '../../../shared/errors';
import { formatBytes, formatDuration } from '../../../shared/format';
import { TERMINAL_JOB_STATUSES, type JobInfo } from '../../../shared/schemas/jobs';
import type { StepResult } from '../../../shared/schemas/results';
import type { RunDetail } from '../../../shared/schemas/runs';
import type { StepInfo } from '../../../shared/schemas/steps';
import { onLink, subscribe } from '../api/client';
import { Card } from '../components/Card';
import { DataTable } from '../components/DataTable';
import { JobView } from '../components/JobView';
import { KeyValues } from '../components/KeyValues';
import { EmptyState, ErrorNotice, InfoNotice } from '../components/Notice';
import { PageHeader } from '../components/PageHeader';
import { StepResultView } from '../components/Results';
import { StatusLabel } from '../components/StatusDot';
import { StepForm } from '../components/StepPanel';
import { TrustPrompt } from '../components/TrustPrompt';
import { useTrustStore } from '../stores/trustStore';
import { toErrorBody } from '../lib/errors';
import { formatDateTime } from '../lib/labels';
import { href } from '../lib/router';
import { request } from '../stores/connectionStore';

function jobDuration(job: JobInfo): string {
  if (!job.startedAt) return '—';
  const end = job.completedAt ? Date.parse(job.completedAt) : Date.now();
  return formatDuration(Math.max(0, (end - Date.parse(job.startedAt)) / 1000));
}

function ActionsBar({ run, onCleaned }: { run: RunDetail; onCleaned: () => void }) {
  const confirmId = useId();
  const [mode, setMode] = useState<'none' | 'clean' | 'delete'>('none');
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function exportRun() {
    setError(null);
    try {
      const config = await request('runs.export', { id: run.id });
      const blob = new Blob([JSON.stringify(config, null, 2)], { type: 'application/json' });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `${run.name.replace(/[^A-Za-z0-9._-]+/g, '_') || 'run'}.benchtop-run.json`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      setNote('Exported the configuration (no data files).');
    } catch (err) {
      setError(toErrorBody(err));
    }
  }

  async function clean() {
    setBusy(true);
    setError(null);
    try {
      const r = await request('runs.clean', { id: run.id });
      setNote(`Cleaned: ${r.deletedFiles} files, ${formatBytes(r.deletedBytes)} deleted. The run’s records and history stay.`);
      setMode('none');
      onCleaned();
    } catch (err) {
      setError(toErrorBody(err));
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    setBusy(true);
    setError(null);
    try {
      await request('runs.delete', { id: run.id, confirm: typed.trim() });
      window.location.hash = href('runs').slice(1);
    } catch (err) {
      setError(toErrorBody(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="run-actions">
      <div className="form-actions">
        <button type="button" className="button" onClick={() => void exportRun()} data-testid="export">
          Export
        </button>
        <button type="button" className="button" onClick={() => setMode((m) => (m === 'clean' ? 'none' : 'clean'))} aria-expanded={mode === 'clean'}>
          Clean…
        </button>
        <button type="button" className="button danger" onClick={() => setMode((m) => (m === 'delete' ? 'none' : 'delete'))} aria-expanded={mode === 'delete'}>
          Delete…
        </button>
      </div>
      {mode === 'clean' ? (
        <div className="confirm-box" role="group" aria-label="Confirm clean">
          <p>Delete every file of this run (inputs, outputs, logs)? Its records, job history and audit trail stay.</p>
          <div className="form-actions">
            <button type="button" className="button danger" onClick={() => void clean()} disabled={busy} data-testid="confirm-clean">
              Delete the files
            </button>
            <button type="button" className="button" onClick={() => setMode('none')}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      {mode === 'delete' ? (
        <div className="confirm-box" role="group" aria-label="Confirm delete">
          <label htmlFor={confirmId}>
            Delete the run, its files and records (the audit trail stays)? Type its id <code className="mono">{run.id}</code> to confirm.
          </label>
          <div className="input-row">
            <input id={confirmId} className="input mono" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} data-testid="delete-confirm" />
            <button type="button" className="button danger" onClick={() => void remove()} disabled={busy || typed.trim() !== run.id} data-testid="confirm-delete">
              Delete run
            </button>
          </div>
        </div>
      ) : null}
      {error ? <ErrorNotice error={error} compact /> : null}
      {note ? <InfoNotice tone="ok">{note}</InfoNotice> : null}
    </div>
  );
}

function StepPicker({ steps, value, onChange }: { steps: StepInfo[]; value: string; onChange: (id: string) => void }) {
  const id = useId();
  const byPipeline = useMemo(() => {
    const groups = new Map<string, StepInfo[]>();
    for (const s of steps) {
      const key = s.pipeline ?? 'other';
      groups.set(key, [...(groups.get(key) ?? []), s]);
    }
    return [...groups.entries()];
  }, [steps]);
  return (
    <div className="field step-picker">
      <label htmlFor={id} className="field-label">
        Step
      </label>
      <select id={id} className="input" value={value} onChange={(e) => onChange(e.target.value)} data-testid="step-select">
        <option value="">Choose a step…</option>
        {byPipeline.map(([pipeline, list]) => (
          <optgroup key={pipeline} label={pipeline}>
            {list.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({s.id}){s.source === 'user' ? (s.trusted ? ' · own step' : ' · own step, not trusted') : ''}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </div>
  );
}

export function RunDetailPage({ id }: { id: string }) {
  const [run, setRun] = useState<RunDetail | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [steps, setSteps] = useState<StepInfo[]>([]);
  const [stepErrors, setStepErrors] = useState<{ file: string; message: string }[]>([]);
  const [stepId, setStepId] = useState('');
  const [selectedJob, setSelectedJob] = useState<number | null>(null);
  const [results, setResults] = useState<Record<string, StepResult | null>>({});

  const load = useCallback(async () => {
    try {
      const r = await request('runs.get', { id });
      setRun(r);
      setError(null);
    } catch (err) {
      setError(toErrorBody(err));
    }
  }, [id]);

  useEffect(() => {
    request('runs.get', { id }).then(setRun, (err: unknown) => setError(toErrorBody(err)));
  }, [id]);

  // Reloaded when the workspace is trusted: its own steps become launchable.
  const trustRevision = useTrustStore((s) => s.revision);
  useEffect(() => {
    request('steps.list', {})
      .then((c) => {
        setSteps(c.steps);
        setStepErrors(c.errors);
      })
      .catch((err: unknown) => setError(toErrorBody(err)));
  }, [trustRevision]);

  // Job status changes of this run: update the row in place, reload the run when an attempt ends.
  useEffect(
    () =>
      subscribe('job.status', (job) => {
        if (job.runId !== id) return;
        setRun((r) => {
          if (!r) return r;
          const known = r.jobs.some((j) => j.id === job.id);
          return { ...r, jobs: known ? r.jobs.map((j) => (j.id === job.id ? job : j)) : [...r.jobs, job] };
        });
        if (TERMINAL_JOB_STATUSES.includes(job.status)) void load();
      }),
    [id, load],
  );

  // Status changes sent while the event stream was down were missed: read the run again.
  useEffect(
    () =>
      onLink((event) => {
        if (event === 'reconnected') void load();
      }),
    [load],
  );

  // Results of every step that has run (reloaded when the set of finished jobs changes).
  const finishedKey = run ? run.jobs.filter((j) => TERMINAL_JOB_STATUSES.includes(j.status)).map((j) => `${j.id}:${j.status}`).join(',') : '';
  useEffect(() => {
    if (!run) return;
    const stepIds = [...new Set(run.jobs.map((j) => j.step))];
    let alive = true;
    void Promise.all(
      stepIds.map((s) =>
        request('results.get', { runId: run.id, step: s })
          .then((r) => [s, r] as const)
          .catch(() => [s, null] as const),
      ),
    ).then((pairs) => {
      if (alive) setResults(Object.fromEntries(pairs));
    });
    return () => {
      alive = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reload on finished jobs only
  }, [run?.id, finishedKey]);

  if (error && !run) {
    return (
      <>
        <PageHeader title="Run" />
        <ErrorNotice error={error} />
        <p>
          <a className="link" href={href('runs')}>
            Back to the runs
          </a>
        </p>
      </>
    );
  }
  if (!run) {
    return (
      <>
        <PageHeader title="Run" description="Loading…" />
      </>
    );
  }

  const job = run.jobs.find((j) => j.id === selectedJob) ?? run.jobs[run.jobs.length - 1] ?? null;
  const step = steps.find((s) => s.id === stepId) ?? null;
  const stepsWithResults = Object.entries(results).filter((e): e is [string, StepResult] => e[1] !== null);

  return (
    <>
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <a className="link" href={href('runs')}>
          Runs
        </a>{' '}
        / <span className="mono">{run.id}</span>
      </nav>
      <PageHeader
        title={run.name}
        description={run.description ?? undefined}
        actions={
          <span data-testid="run-status">
            <StatusLabel status={run.status} />
          </span>
        }
      />
      {error ? <ErrorNotice error={error} /> : null}
      <div className="grid">
        <Card title="Run">
          <KeyValues
            items={[
              { label: 'Pipeline', value: run.pipeline ?? '—', mono: true },
              { label: 'Current step', value: run.currentStep ?? '—', mono: true },
              { label: 'Created', value: `${formatDateTime(run.createdAt)}${run.createdBy ? ` by ${run.createdBy}` : ''}` },
              { label: 'Updated', value: formatDateTime(run.updatedAt) },
              { label: 'Cleaned', value: run.cleanedAt ? formatDateTime(run.cleanedAt) : 'No' },
              { label: 'Folder', value: run.dir, path: true },
            ]}
          />
          <ActionsBar run={run} onCleaned={() => void load()} />
        </Card>
        <Card title="Inputs" span={2} flush>
          {run.inputs.length === 0 ? (
            <EmptyState>No input files.</EmptyState>
          ) : (
            <DataTable
              testId="inputs-table"
              caption="Inputs"
              rowKey={(r) => r.role}
              rows={run.inputs}
              columns={[
                { key: 'role', header: 'Role', mono: true },
                { key: 'name', header: 'Name', mono: true },
                { key: 'bytes', header: 'Size', numeric: true, render: (r) => formatBytes(r.bytes) },
                {
                  key: 'sha256',
                  header: 'sha256',
                  mono: true,
                  render: (r) => (
                    <span title={r.sha256} className="small">
                      {r.sha256.slice(0, 12)}…
                    </span>
                  ),
                },
                { key: 'mode', header: 'As', render: (r) => (r.mode === 'link' ? 'Link' : 'Copy') },
                { key: 'originalPath', header: 'From', mono: true, render: (r) => <span className="small muted">{r.originalPath}</span> },
              ]}
            />
          )}
        </Card>
      </div>

      <div className="columns run-columns">
        <div className="stack">
          <TrustPrompt />
          <Card title="Launch a step">
            {stepErrors.length > 0 ? (
              <div className="notice notice-error compact" role="alert">
                <strong className="notice-title">Some step definitions did not load</strong>
                <ul className="notice-message">
                  {stepErrors.map((e) => (
                    <li key={e.file}>
                      <span className="mono">{e.file}</span>: {e.message}
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
            <StepPicker steps={steps} value={stepId} onChange={setStepId} />
            {step ? (
              <StepForm
                key={step.id}
                run={run}
                step={step}
                onLaunched={(j) => {
                  setSelectedJob(j.id);
                  setRun((r) => (r && !r.jobs.some((x) => x.id === j.id) ? { ...r, jobs: [...r.jobs, j] } : r));
                  void load();
                }}
              />
            ) : (
              <p className="muted">Steps run in any order, as often as needed: each launch is a new attempt.</p>
            )}
          </Card>
        </div>
        <div className="stack">
          <Card title={job ? `Job ${job.id}` : 'Job'}>
            {job ? (
              <JobView key={job.id} job={job} onChanged={(j) => setRun((r) => (r ? { ...r, jobs: r.jobs.map((x) => (x.id === j.id ? j : x)) } : r))} />
            ) : (
              <EmptyState>Launch a step to follow its log here.</EmptyState>
            )}
          </Card>
          <Card title="Configuration" flush>
            {Object.keys(run.params).length === 0 ? (
              <EmptyState>No parameters stored yet: they are saved with each launch.</EmptyState>
            ) : (
              <div className="config-list">
                {Object.entries(run.params).map(([s, params]) => (
                  <details key={s} className="details config-step" open>
                    <summary className="mono">{s}</summary>
                    <KeyValues items={Object.entries(params).map(([k, v]) => ({ label: k, value: v === null ? '—' : String(v), mono: true }))} />
                  </details>
                ))}
              </div>
            )}
          </Card>
        </div>
      </div>

      <Card title="Step history" flush className="history-card">
        {run.jobs.length === 0 ? (
          <EmptyState>No step has been launched yet.</EmptyState>
        ) : (
          <DataTable
            testId="jobs-table"
            caption="Step history"
            rowKey={(j) => String(j.id)}
            rows={[...run.jobs].reverse()}
            columns={[
              {
                key: 'step',
                header: 'Step',
                render: (j) => (
                  <button type="button" className="link-button mono" aria-pressed={job?.id === j.id} onClick={() => setSelectedJob(j.id)}>
                    {j.step}
                  </button>
                ),
              },
              { key: 'attempt', header: 'Attempt', numeric: true },
              { key: 'status', header: 'Status', render: (j) => <StatusLabel status={j.status} /> },
              { key: 'startedAt', header: 'Started', render: (j) => (j.startedAt ? formatDateTime(j.startedAt) : '—') },
              { key: 'duration', header: 'Duration', numeric: true, render: (j) => jobDuration(j) },
              { key: 'exitCode', header: 'Exit', numeric: true },
              { key: 'tool', header: 'Tool', render: (j) => (j.tool ? `${j.tool}${j.toolVersion ? ` ${j.toolVersion}` : ''}` : '—') },
            ]}
          />
        )}
      </Card>

      <section className="results-section" aria-label="Results">
        {stepsWithResults.map(([s, r]) => (
          <Card key={s} title={`Results · ${steps.find((x) => x.id === s)?.name ?? s}`}>
            <StepResultView runId={run.id} result={r} />
          </Card>
        ))}
      </section>
    </>
  );
}
