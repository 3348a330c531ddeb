import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import type { ApiErrorBody } from '../../../shared/errors';
import { TERMINAL_JOB_STATUSES, type JobInfo } from '../../../shared/schemas/jobs';
import { DEFAULT_SMA_TOLERANCE, MAX_SMA_REFERENCE_FILES, type PendingSmaRun } from '../../../shared/schemas/sma';
import { subscribe } from '../api/client';
import { toErrorBody } from '../lib/errors';
import { plural } from '../lib/labels';
import { runHref } from '../lib/router';
import { request } from '../stores/connectionStore';
import { Card } from './Card';
import { ProgressBar } from './JobView';
import { EmptyState, ErrorNotice } from './Notice';
import { PathInput } from './PathInput';
import { StatusLabel } from './StatusDot';
import '../styles/sma.css';
import { readOnlyTitle, useReadOnly } from '../stores/readOnly';

/** An ingest started from here, followed until it ends (the run then leaves the pending list). */
interface Started {
  basecallRunId: string;
  runId: string;
  job: JobInfo | null;
}

/**
 * "Ready for SMA analysis": basecall runs that are complete and have no SMA database yet, each
 * with a one-click ingest (reference FASTA files, optional summary, tolerance, tagged BAM). The
 * ingest runs as a job of a new analysis run; its progress shows here and on the run's page.
 */
export function PendingSma() {
  const [runs, setRuns] = useState<PendingSmaRun[] | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [started, setStarted] = useState<Started[]>([]);

  const load = useCallback(() => {
    request('sma.pending', {}).then(
      (list) => {
        setRuns(list.runs);
        setError(null);
      },
      (err: unknown) => setError(toErrorBody(err)),
    );
  }, []);

  useEffect(() => {
    load();
    return subscribe('job.status', (job) => {
      if (job.step !== 'sma_ingest') return;
      setStarted((list) => list.map((s) => (s.runId === job.runId ? { ...s, job } : s)));
      setRuns((list) => list?.map((r) => (r.ingest?.runId === job.runId ? { ...r, ingest: { runId: job.runId, job } } : r)) ?? null);
      if (TERMINAL_JOB_STATUSES.includes(job.status)) load();
    });
  }, [load]);

  const onStarted = (s: Started) => setStarted((list) => [...list.filter((x) => x.basecallRunId !== s.basecallRunId), s]);
  const finished = started.filter((s) => !runs?.some((r) => r.runId === s.basecallRunId));

  return (
    <Card title="Ready for SMA analysis" span={2} className="sma-card" actions={<span className="small muted">{runs ? plural(runs.length, 'basecall run') : ''}</span>}>
      {error ? <ErrorNotice error={error} compact /> : null}
      {runs && runs.length === 0 && finished.length === 0 ? (
        <EmptyState>No basecall run is waiting: every complete basecall run has its SMA database.</EmptyState>
      ) : null}
      <ul className="sma-pending" data-testid="sma-pending">
        {runs?.map((run) => (
          <PendingRun key={run.runId} run={run} started={started.find((s) => s.basecallRunId === run.runId) ?? null} onStarted={onStarted} />
        ))}
        {finished.map((s) => (
          <li key={s.runId} className="sma-pending-item" data-testid={`sma-done-${s.basecallRunId}`}>
            <strong className="mono">{s.basecallRunId}</strong>
            <IngestProgress runId={s.runId} job={s.job} basecallRunId={s.basecallRunId} />
          </li>
        ))}
      </ul>
    </Card>
  );
}

function IngestProgress({ runId, job, basecallRunId }: { runId: string; job: JobInfo | null; basecallRunId?: string }) {
  return (
    <div className="sma-progress" data-testid="sma-ingest-progress">
      {job ? <StatusLabel status={job.status} /> : <span className="muted">Starting…</span>}
      {job && !TERMINAL_JOB_STATUSES.includes(job.status) ? <ProgressBar job={job} /> : null}
      {job?.status === 'failed' && job.error ? <span className="field-problem">{job.error}</span> : null}
      {job?.status === 'completed' && basecallRunId ? <a href={`#/reads/${encodeURIComponent(basecallRunId)}`}>Browse its reads</a> : null}
      <a href={runHref(runId)}>Open the ingest run (log, kill, restart)</a>
    </div>
  );
}

function PendingRun({ run, started, onStarted }: { run: PendingSmaRun; started: Started | null; onStarted: (s: Started) => void }) {
  const [open, setOpen] = useState(false);
  const current = started ?? (run.ingest ? { basecallRunId: run.runId, runId: run.ingest.runId, job: run.ingest.job } : null);
  const active = current?.job ? !TERMINAL_JOB_STATUSES.includes(current.job.status) : current !== null && started !== null;
  return (
    <li className="sma-pending-item" data-testid={`sma-pending-${run.runId}`}>
      <div className="input-row">
        <div className="field">
          <strong className="mono">{run.runId}</strong>
          <span className="small muted">
            {[run.expId, run.sampleId, run.modelTier, run.modelVersion].filter(Boolean).join(' · ')}
          </span>
          <span className="small mono muted">{run.bamPath ?? 'no BAM recorded'}</span>
        </div>
        {!active ? (
          <button type="button" className="button" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? 'Close' : current ? 'Ingest again…' : 'Ingest…'}
          </button>
        ) : null}
      </div>
      {current ? <IngestProgress runId={current.runId} job={current.job} /> : null}
      {open && !active ? (
        <IngestForm
          run={run}
          onStarted={(s) => {
            setOpen(false);
            onStarted(s);
          }}
        />
      ) : null}
    </li>
  );
}

function IngestForm({ run, onStarted }: { run: PendingSmaRun; onStarted: (s: Started) => void }) {
  const readOnly = useReadOnly();
  const [refs, setRefs] = useState<string[]>(['']);
  const [summary, setSummary] = useState('');
  const [tolerance, setTolerance] = useState(String(DEFAULT_SMA_TOLERANCE));
  const [tagged, setTagged] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const ids = useId();
  const chosen = refs.map((r) => r.trim()).filter(Boolean);
  const toleranceOk = /^\d+$/.test(tolerance.trim());

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (chosen.length === 0 || !toleranceOk) return;
    setBusy(true);
    setError(null);
    try {
      const res = await request('sma.ingest', {
        basecallRunId: run.runId,
        refs: chosen,
        ...(summary.trim() ? { summary: summary.trim() } : {}),
        tolerance: Number(tolerance),
        taggedBam: tagged,
      });
      onStarted({ basecallRunId: run.runId, runId: res.runId, job: null });
    } catch (err) {
      setError(toErrorBody(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-label={`Ingest ${run.runId}`}>
      {error ? <ErrorNotice error={error} compact /> : null}
      <fieldset className="fieldset">
        <legend className="field-label">
          Reference FASTA <span className="field-required">required</span>
        </legend>
        <span className="field-help">The expected targets. A read goes to the first target, in file order, whose length ± the tolerance holds its length.</span>
        {refs.map((ref, i) => (
          <PathInput
            key={i}
            value={ref}
            label={`reference FASTA ${i + 1}`}
            testId={`sma-ref-${i}`}
            onChange={(v) => setRefs(refs.map((r, j) => (j === i ? v : r)))}
            invalid={chosen.length === 0 && i === 0 && ref !== ''}
            after={
              refs.length > 1 ? (
                <button type="button" className="button" onClick={() => setRefs(refs.filter((_, j) => j !== i))} aria-label={`Remove reference ${i + 1}`}>
                  Remove
                </button>
              ) : null
            }
          />
        ))}
        {refs.length < MAX_SMA_REFERENCE_FILES ? (
          <button type="button" className="button small-button" onClick={() => setRefs([...refs, ''])}>
            Add another FASTA
          </button>
        ) : null}
      </fieldset>
      <div className="fields">
        <div className="field field-wide">
          <label className="field-label" htmlFor={`${ids}-summary`}>
            Sequencing summary <span className="field-type">optional</span>
          </label>
          <PathInput id={`${ids}-summary`} value={summary} onChange={setSummary} label="sequencing summary" testId="sma-summary" placeholder="sequencing_summary.txt or pod5 summary TSV" />
          <span className="field-help">End reasons come from its read_id and end_reason columns; without it, from the BAM's er tag.</span>
        </div>
        <div className="field">
          <label className="field-label" htmlFor={`${ids}-tol`}>
            Length tolerance (bases)
          </label>
          <input
            id={`${ids}-tol`}
            className="input num-input"
            inputMode="numeric"
            value={tolerance}
            onChange={(e) => setTolerance(e.target.value)}
            aria-invalid={toleranceOk ? undefined : true}
            data-testid="sma-tolerance"
          />
          {!toleranceOk ? <span className="field-problem">A whole number of bases, 0 or more.</span> : null}
        </div>
        <div className="field">
          <span className="field-label">Tagged BAM</span>
          <label className="checkbox">
            <input type="checkbox" checked={tagged} onChange={(e) => setTagged(e.target.checked)} data-testid="sma-tagged" />
            Also write the BAM with ER:Z end-reason tags
          </label>
        </div>
      </div>
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy || chosen.length === 0 || !toleranceOk || readOnly !== null} title={readOnlyTitle(readOnly)} data-testid="sma-ingest">
          {busy ? 'Starting…' : 'Ingest'}
        </button>
      </div>
    </form>
  );
}
