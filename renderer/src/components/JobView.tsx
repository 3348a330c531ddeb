import { useEffect, useLayoutEffect, useRef, useState, type FormEvent } from 'react';
import type { ApiErrorBody } from '../../../shared/errors';
import { formatDuration } from '../../../shared/format';
import { TERMINAL_JOB_STATUSES, type JobInfo, type LogChunk } from '../../../shared/schemas/jobs';
import { onLink, subscribe } from '../api/client';
import { toErrorBody } from '../lib/errors';
import { formatCount, formatDateTime } from '../lib/labels';
import { request, statusUnknown, useConnectionStore } from '../stores/connectionStore';
import { KeyValues } from './KeyValues';
import { ErrorNotice } from './Notice';
import { StatusLabel } from './StatusDot';
import { EMPTY_SNAPSHOT, LogWindow, MAX_LOG_LINES, type LogSnapshot } from '../lib/logWindow';

const TAIL_BYTES = 256 * 1024;
/** Log text waiting to be shown, at most: older waiting chunks are let go (the view then jumps ahead). */
const MAX_PENDING_CHARS = 2 * TAIL_BYTES;

function useLogTail(jobId: number, status: JobInfo['status']) {
  const win = useRef(new LogWindow());
  const [snap, setSnap] = useState<LogSnapshot>(EMPTY_SNAPSHOT);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [loaded, setLoaded] = useState(false);
  const finish = useRef<() => void>(() => undefined);

  useEffect(() => {
    const w = new LogWindow();
    win.current = w;
    let alive = true;
    let ready = false;
    const early: LogChunk[] = [];
    let frame = 0;
    const render = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        if (alive) setSnap(w.snapshot());
      });
    };

    /** Read from where the window ends up to `until` (or the end of the file). */
    async function catchUp(until?: number): Promise<void> {
      for (let i = 0; i < 64; i++) {
        const want = until === undefined ? TAIL_BYTES : Math.min(TAIL_BYTES, until - w.next);
        if (want <= 0) return;
        const slice = await request('jobs.logRead', { id: jobId, offset: w.next, maxBytes: want });
        if (!alive) return;
        w.append(slice.text);
        w.next = slice.next;
        if (slice.text === '' || slice.next >= slice.size) return;
      }
    }

    // Chunks wait here while one drain loop applies them; when the log runs far ahead of the view,
    // the loop jumps to the newest bytes instead of reading everything in between.
    let pending: LogChunk[] = [];
    let pendingBytes = 0;
    let draining = false;
    let finishing = false;
    async function drain(): Promise<void> {
      draining = true;
      while (alive && (pending.length > 0 || finishing)) {
        if (pending.length === 0) {
          finishing = false;
          await readToEnd();
          render();
          continue;
        }
        const batch = pending;
        pending = [];
        pendingBytes = 0;
        for (const chunk of batch) {
          if (!alive || w.accept(chunk) !== 'gap') continue;
          if (chunk.offset - w.next > TAIL_BYTES) w.skipTo(chunk.offset);
          else await catchUp(chunk.offset);
          if (alive) w.accept(chunk);
        }
        render();
      }
      draining = false;
    }
    /** The job ended: show whatever the events did not bring, jumping to the last bytes if far behind. */
    async function readToEnd(): Promise<void> {
      try {
        const tail = await request('jobs.logTail', { id: jobId, maxBytes: TAIL_BYTES });
        if (!alive) return;
        if (tail.offset > w.next) {
          w.skipTo(tail.offset);
          w.append(tail.text);
          w.next = tail.next;
        } else await catchUp();
      } catch {
        // The live view stays as it is; the log file is still on disk.
      }
    }
    finish.current = () => {
      finishing = true;
      if (!draining) void drain();
    };

    function onChunk(chunk: LogChunk) {
      pending.push(chunk);
      pendingBytes += chunk.text.length;
      while (pendingBytes > MAX_PENDING_CHARS && pending.length > 1) pendingBytes -= (pending.shift() as LogChunk).text.length;
      if (!draining) void drain();
    }
    const unsubscribe = subscribe('job.log', (chunk) => {
      if (chunk.jobId !== jobId) return;
      if (!ready) early.push(chunk);
      else onChunk(chunk);
    });

    request('jobs.logTail', { id: jobId, maxBytes: TAIL_BYTES })
      .then((slice) => {
        if (!alive) return;
        w.skippedStart = slice.offset > 0;
        w.append(slice.text);
        w.next = slice.next;
        ready = true;
        setLoaded(true);
        for (const c of early) onChunk(c);
        render();
      })
      .catch((err: unknown) => {
        if (!alive) return;
        ready = true;
        setLoaded(true);
        setError(toErrorBody(err));
      });

    // The event stream dropped and came back: chunks sent meanwhile were missed; read them from the file.
    const unlink = onLink((event) => {
      if (event === 'reconnected' && ready) finish.current();
    });

    return () => {
      alive = false;
      unsubscribe();
      unlink();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [jobId]);

  // When the job ends, read whatever the events did not bring (the last bytes of the log).
  const terminal = TERMINAL_JOB_STATUSES.includes(status);
  useEffect(() => {
    if (terminal && loaded) finish.current();
  }, [terminal, loaded]);

  return { snap, error, loaded };
}

export function ProgressBar({ job }: { job: JobInfo }) {
  const p = job.progress;
  if (!p) return null;
  const fraction = p.total ? Math.min(1, p.done / p.total) : null;
  return (
    <div className="progress" data-testid="job-progress">
      <div
        className="progress-bar"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={p.total ?? undefined}
        aria-valuenow={p.done}
        aria-label="Progress"
      >
        <div className={fraction === null ? 'progress-fill indeterminate' : 'progress-fill'} style={fraction === null ? undefined : { width: `${fraction * 100}%` }} />
      </div>
      <span className="small muted">
        {formatCount(p.done)}
        {p.total !== null ? ` / ${formatCount(p.total)}` : ''} {p.unit}
        {fraction !== null ? ` (${Math.round(fraction * 100)} %)` : ''}
      </span>
    </div>
  );
}

function LogSearch({ jobId }: { jobId: number }) {
  const [query, setQuery] = useState('');
  const [result, setResult] = useState<{ matches: { line: number; text: string }[]; truncated: boolean } | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);

  async function search(e: FormEvent) {
    e.preventDefault();
    if (!query.trim()) return;
    setError(null);
    try {
      setResult(await request('jobs.logSearch', { id: jobId, query: query.trim(), maxMatches: 200 }));
    } catch (err) {
      setError(toErrorBody(err));
    }
  }

  return (
    <div className="log-search">
      <form className="input-row" role="search" onSubmit={(e) => void search(e)}>
        <input className="input" type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Search the whole log" aria-label="Search the log" data-testid="log-search" />
        <button type="submit" className="button">
          Search
        </button>
      </form>
      {error ? <ErrorNotice error={error} compact /> : null}
      {result ? (
        <div className="log-matches" data-testid="log-matches">
          <p className="small muted">
            {result.matches.length === 0 ? 'No line matches.' : `${formatCount(result.matches.length)}${result.truncated ? '+' : ''} matching line${result.matches.length === 1 ? '' : 's'}`}
          </p>
          {result.matches.length > 0 ? (
            <ol className="log-match-list">
              {result.matches.map((m) => (
                <li key={m.line}>
                  <span className="log-lineno">{m.line}</span>
                  <span className="mono">{m.text}</span>
                </li>
              ))}
            </ol>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

/** How many of a failed job's last log lines are shown beside its exit code. */
const LAST_LINES = 8;

function lastLines(text: string, n: number): string {
  return text.trimEnd().split('\n').slice(-n).join('\n');
}

function duration(job: JobInfo): string | null {
  if (!job.startedAt) return null;
  const end = job.completedAt ? Date.parse(job.completedAt) : Date.now();
  return formatDuration(Math.max(0, (end - Date.parse(job.startedAt)) / 1000));
}

/** One attempt of a step: status, progress, Kill, and its log followed live. */
export function JobView({ job, onChanged }: { job: JobInfo; onChanged: (job: JobInfo) => void }) {
  const { snap, error, loaded } = useLogTail(job.id, job.status);
  const [following, setFollowing] = useState(true);
  const [killError, setKillError] = useState<ApiErrorBody | null>(null);
  const [killing, setKilling] = useState(false);
  const [confirmKill, setConfirmKill] = useState(false);
  const pre = useRef<HTMLPreElement>(null);

  useLayoutEffect(() => {
    if (following && pre.current) pre.current.scrollTop = pre.current.scrollHeight;
  }, [snap, following, loaded]);

  async function kill() {
    setConfirmKill(false);
    setKilling(true);
    setKillError(null);
    try {
      onChanged(await request('jobs.kill', { id: job.id }));
    } catch (err) {
      setKillError(toErrorBody(err));
    } finally {
      setKilling(false);
    }
  }

  const unknown = useConnectionStore((s) => statusUnknown(s.state));
  const active = !unknown && !TERMINAL_JOB_STATUSES.includes(job.status);
  return (
    <div className="job-view" data-testid="job-view" data-job-id={job.id}>
      <div className="job-head">
        <span className="job-title">
          {job.step} <span className="muted">attempt {job.attempt}</span>
        </span>
        <span data-testid="job-status" data-status={job.status}>
          <StatusLabel status={job.status} />
        </span>
        {active ? (
          <button type="button" className="button danger" onClick={() => setConfirmKill(true)} disabled={killing || confirmKill} data-testid="kill">
            {killing ? 'Killing…' : 'Kill'}
          </button>
        ) : null}
      </div>
      {confirmKill && active ? (
        <div className="notice notice-error" role="alertdialog" aria-label="Kill this job" data-testid="kill-confirm">
          <strong className="notice-title">
            Kill {job.step} attempt {job.attempt}?
          </strong>
          <span className="notice-message">
            {job.startedAt ? `It has been running for ${duration(job) ?? '—'}; that work is lost.` : 'It has not started yet.'} The attempt ends as killed and its
            outputs are not used; a restart begins again from the start.
          </span>
          <span className="row-actions">
            <button type="button" className="button danger" onClick={() => void kill()} data-testid="kill-yes">
              Kill
            </button>
            <button type="button" className="button" onClick={() => setConfirmKill(false)}>
              Keep running
            </button>
          </span>
        </div>
      ) : null}
      {killError ? <ErrorNotice error={killError} compact /> : null}
      <ProgressBar job={job} />
      <KeyValues
        columns
        items={[
          { label: 'Started', value: job.startedAt ? formatDateTime(job.startedAt) : 'Not yet' },
          { label: 'Duration', value: duration(job) ?? '—' },
          { label: 'Exit code', value: job.exitCode === null ? '—' : String(job.exitCode), mono: true },
          { label: 'Tool', value: job.tool ? `${job.tool}${job.toolVersion ? ` ${job.toolVersion}` : ''}` : '—' },
        ]}
      />
      {job.error ? <p className="field-problem">{job.error}</p> : null}
      {job.status === 'failed' && loaded && snap.text.trim() !== '' ? (
        <div data-testid="job-last-lines">
          <span className="field-label">Last lines of the log</span>
          <pre className="log log-excerpt">{lastLines(snap.text, LAST_LINES)}</pre>
        </div>
      ) : null}
      <div className="log-toolbar">
        <span className="field-label">Log</span>
        <span className="small muted" data-testid="log-info">
          {formatCount(snap.lineCount)} line{snap.lineCount === 1 ? '' : 's'} shown
          {snap.dropped > 0 || snap.skippedStart ? ` · earlier lines not kept in view (last ${formatCount(MAX_LOG_LINES)} lines at most${snap.dropped > 0 ? `, ${formatCount(snap.dropped)} dropped` : ''}); search covers the whole log` : ''}
        </span>
        <button type="button" className="button small-button" aria-pressed={following} onClick={() => setFollowing((f) => !f)} data-testid="follow">
          {following ? 'Pause' : 'Follow'}
        </button>
      </div>
      {error ? <ErrorNotice error={error} compact /> : null}
      <pre
        ref={pre}
        className="log"
        tabIndex={0}
        aria-label={`Log of ${job.step} attempt ${job.attempt}`}
        data-testid="log"
        onWheel={(e) => {
          if (e.deltaY < 0 && following) setFollowing(false);
        }}
      >
        {loaded ? snap.text || (active ? 'Waiting for output…' : 'The log is empty.') : 'Loading the log…'}
      </pre>
      <LogSearch jobId={job.id} />
    </div>
  );
}
