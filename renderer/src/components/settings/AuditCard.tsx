import { useEffect, useId, useState, type FormEvent } from 'react';
import type { OpRequest, OpResponse } from '../../../../shared/contract';
import type { ApiErrorBody } from '../../../../shared/errors';
import type { AuditEntry } from '../../../../shared/ops/db';
import { toErrorBody } from '../../lib/errors';
import { formatDateTime } from '../../lib/labels';
import { request } from '../../stores/connectionStore';
import { useSystemStore } from '../../stores/systemStore';
import { Card } from '../Card';
import { DataTable } from '../DataTable';
import { ErrorNotice } from '../Notice';

const PAGE = 50;

type Filters = { kind: 'all' | 'changes' | 'actions'; table: string; actor: string; operation: string; from: string; to: string; text: string };
const NO_FILTERS: Filters = { kind: 'all', table: '', actor: '', operation: '', from: '', to: '', text: '' };
type Cursor = NonNullable<OpResponse<'db.audit'>['next']>;

function query(f: Filters, before: Cursor | undefined): OpRequest<'db.audit'> {
  const q: OpRequest<'db.audit'> = { kind: f.kind, limit: PAGE };
  for (const key of ['table', 'actor', 'operation', 'from', 'to', 'text'] as const) if (f[key].trim()) q[key] = f[key].trim();
  if (before) q.before = before;
  return q;
}

function show(v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** What changed, in one line: `status: running → completed`, or the row's values for an insert or delete. */
function summary(e: AuditEntry): string {
  if (e.kind === 'action') return e.details === null ? '' : show(e.details);
  if (e.change === 'update') {
    return Object.keys(e.newValues ?? {})
      .map((k) => `${k}: ${show(e.oldValues?.[k])} → ${show(e.newValues?.[k])}`)
      .join('; ');
  }
  const values = (e.change === 'insert' ? e.newValues : e.oldValues) ?? {};
  return Object.entries(values)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}: ${show(v)}`)
    .join('; ');
}

const CHANGE_LABEL = { insert: 'Added', update: 'Changed', delete: 'Deleted' } as const;

/** Settings → Audit: the database's row changes and Benchtop's recorded actions, newest first. */
export function AuditCard() {
  const workspace = useSystemStore((s) => s.workspace);
  const ids = { kind: useId(), table: useId(), actor: useId(), operation: useId(), from: useId(), to: useId(), text: useId() };
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [applied, setApplied] = useState<Filters>(NO_FILTERS);
  // The cursors of the pages before this one, for "Newer".
  const [trail, setTrail] = useState<(Cursor | undefined)[]>([]);
  const [before, setBefore] = useState<Cursor | undefined>(undefined);
  const [page, setPage] = useState<OpResponse<'db.audit'> | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);

  useEffect(() => {
    request('db.audit', query(applied, before))
      .then((p) => {
        setError(null);
        setPage(p);
      })
      .catch((err: unknown) => setError(toErrorBody(err)));
  }, [applied, before, workspace]);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setTrail([]);
    setBefore(undefined);
    setApplied({ ...draft });
  }

  const set = (key: keyof Filters) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: e.target.value }));

  return (
    <Card title="Audit" className="settings-wide">
      <form className="form audit-filters" onSubmit={submit} noValidate aria-label="Filter the audit trail">
        <div className="fields">
          <div className="field">
            <label htmlFor={ids.kind} className="field-label">Show</label>
            <select id={ids.kind} className="input" value={draft.kind} onChange={set('kind')}>
              <option value="all">Everything</option>
              <option value="changes">Row changes</option>
              <option value="actions">Benchtop's actions</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.table} className="field-label">Table</label>
            <select id={ids.table} className="input" value={draft.table} onChange={set('table')}>
              <option value="">Any table</option>
              {(page?.tables ?? []).map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.actor} className="field-label">Who</label>
            <input id={ids.actor} className="input" value={draft.actor} onChange={set('actor')} placeholder="e.g. sqlite3 shell" autoComplete="off" />
          </div>
          <div className="field">
            <label htmlFor={ids.operation} className="field-label">Operation</label>
            <input id={ids.operation} className="input mono" value={draft.operation} onChange={set('operation')} placeholder="e.g. runs.create" autoComplete="off" spellCheck={false} />
          </div>
          <div className="field">
            <label htmlFor={ids.from} className="field-label">From</label>
            <input id={ids.from} className="input" type="date" value={draft.from} onChange={set('from')} />
          </div>
          <div className="field">
            <label htmlFor={ids.to} className="field-label">To</label>
            <input id={ids.to} className="input" type="date" value={draft.to} onChange={set('to')} />
          </div>
          <div className="field">
            <label htmlFor={ids.text} className="field-label">Containing</label>
            <input id={ids.text} className="input" value={draft.text} onChange={set('text')} placeholder="a value, a name, an id" autoComplete="off" />
          </div>
        </div>
        <div className="form-actions">
          <button type="submit" className="button primary">
            Filter
          </button>
          <button
            type="button"
            className="button"
            onClick={() => {
              setDraft(NO_FILTERS);
              setTrail([]);
              setBefore(undefined);
              setApplied(NO_FILTERS);
            }}
          >
            Clear
          </button>
        </div>
      </form>
      {error ? <ErrorNotice error={error} compact /> : null}
      {page ? (
        page.entries.length === 0 ? (
          <p className="muted small">Nothing recorded matches.</p>
        ) : (
          <DataTable
            testId="audit-table"
            caption="Audit trail"
            maxHeight={480}
            rowKey={(e) => `${e.kind}:${e.id}`}
            rows={page.entries}
            columns={[
              { key: 'at', header: 'When', render: (e) => formatDateTime(e.at) },
              { key: 'actor', header: 'Who' },
              { key: 'operation', header: 'Operation', mono: true, render: (e) => e.operation ?? <span className="null">—</span> },
              { key: 'change', header: 'What', render: (e) => (e.kind === 'action' ? 'Action' : CHANGE_LABEL[e.change ?? 'update']) },
              { key: 'subject', header: 'Of', render: (e) => [e.subject, e.key].filter(Boolean).join(' ') },
              { key: 'details', header: 'Values', wrap: true, render: (e) => <span className="audit-values">{summary(e)}</span> },
            ]}
          />
        )
      ) : null}
      <div className="form-actions">
        <button
          type="button"
          className="button"
          disabled={trail.length === 0}
          onClick={() => {
            setBefore(trail.at(-1));
            setTrail((t) => t.slice(0, -1));
          }}
        >
          Newer
        </button>
        <button
          type="button"
          className="button"
          disabled={!page?.next}
          onClick={() => {
            setTrail((t) => [...t, before]);
            setBefore(page?.next ?? undefined);
          }}
        >
          Older
        </button>
      </div>
    </Card>
  );
}
