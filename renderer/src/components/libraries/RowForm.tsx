import { useEffect, useId, useState, type FormEvent } from 'react';
import type { ApiErrorBody } from '../../../../shared/errors';
import type { FieldValue, LibField, LibRow } from '../../../../shared/schemas/libraries';
import { toErrorBody } from '../../lib/errors';
import { useLookupsStore } from '../../stores/lookupsStore';
import { ErrorNotice } from '../Notice';

export interface Choice {
  value: string;
  label: string;
}

type Draft = Record<string, string | boolean>;

function toDraft(fields: readonly LibField[], row: LibRow | null): Draft {
  const draft: Draft = {};
  for (const f of fields) {
    const v = row ? row[f.name] : f.default;
    if (f.kind === 'bool') draft[f.name] = v === undefined || v === null ? false : v === 1 || v === true;
    else draft[f.name] = v === undefined || v === null ? '' : String(v);
  }
  return draft;
}

/** Typed values for the API; a number that does not parse goes as typed, so the server can say what is wrong. */
function fromDraft(field: LibField, value: string | boolean): FieldValue {
  if (field.kind === 'bool') return value === true;
  const text = String(value).trim();
  if (text === '') return null;
  if (field.kind === 'integer' || field.kind === 'real' || (field.lookup && field.kind !== 'text')) {
    const n = Number(text);
    return Number.isFinite(n) ? n : text;
  }
  return text;
}

/** The lookup rows a form needs, loaded once into the lookups store. */
export function useLookupChoices(fields: readonly LibField[]): Record<string, Choice[]> {
  const rows = useLookupsStore((s) => s.rows);
  const loadRows = useLookupsStore((s) => s.loadRows);
  const tables = [...new Set(fields.flatMap((f) => (f.lookup ? [f.lookup.table] : [])))];
  useEffect(() => {
    for (const t of tables) if (!useLookupsStore.getState().rows[t]) void loadRows(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tables.join(','), loadRows]);
  const out: Record<string, Choice[]> = {};
  for (const f of fields) {
    if (!f.lookup) continue;
    const { table, column } = f.lookup;
    out[f.name] = (rows[table] ?? []).map((r) => {
      const value = String(r[column]);
      const extra = r.description ?? r.mod_type ?? r.kit_name ?? null;
      return { value, label: extra && String(extra) !== value ? `${value} — ${String(extra)}` : value };
    });
  }
  return out;
}

/**
 * A form for one row of a library table, drawn from its field list: dropdowns for lookup fields
 * (from the lookup tables) and fixed vocabularies, checkboxes for yes/no, numbers, text. New rows
 * start from the seed's defaults; an edit sends only what changed. A server error that names a
 * field is shown beside it.
 */
export function RowForm({
  fields,
  row,
  choices,
  submitLabel,
  onSubmit,
  onCancel,
  label,
  testId,
}: {
  fields: readonly LibField[];
  /** The row being edited, or null for a new one. */
  row: LibRow | null;
  /** Dropdown choices for fields that are not lookups (e.g. the constructs a fragment may belong to). */
  choices?: Record<string, Choice[]>;
  submitLabel: string;
  onSubmit: (values: LibRow) => Promise<void>;
  onCancel?: () => void;
  label: string;
  testId?: string;
}) {
  const id = useId();
  const shown = fields.filter((f) => !f.computed);
  const lookups = useLookupChoices(shown);
  const [draft, setDraft] = useState<Draft>(() => toDraft(shown, row));
  const [fieldError, setFieldError] = useState<{ field: string; message: string } | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const initial = toDraft(shown, row);
    const values: LibRow = {};
    for (const f of shown) {
      const v = draft[f.name] ?? '';
      if (row ? v === initial[f.name] : v === '') continue;
      values[f.name] = fromDraft(f, v);
    }
    setBusy(true);
    setError(null);
    setFieldError(null);
    try {
      await onSubmit(values);
    } catch (err) {
      const body = toErrorBody(err);
      const named = /^([a-z0-9_]+): (.*)$/s.exec(body.message);
      if (named?.[1] && shown.some((f) => f.name === named[1])) setFieldError({ field: named[1], message: body.message });
      else setError(body);
    } finally {
      setBusy(false);
    }
  }

  const set = (name: string, value: string | boolean) => setDraft((d) => ({ ...d, [name]: value }));

  return (
    <form className="form row-form" onSubmit={(e) => void submit(e)} noValidate aria-label={label} data-testid={testId}>
      <div className="fields">
        {shown.map((f) => {
          const inputId = `${id}-${f.name}`;
          const problem = fieldError?.field === f.name ? fieldError.message : null;
          const options = choices?.[f.name] ?? lookups[f.name] ?? f.options?.map((o) => ({ value: o, label: o }));
          const common = {
            id: inputId,
            'aria-invalid': problem ? true : undefined,
            'aria-describedby': problem ? `${inputId}-err` : undefined,
            'data-field': f.name,
          } as const;
          const value = draft[f.name];
          let control;
          if (f.kind === 'bool') {
            control = (
              <label className="checkbox">
                <input type="checkbox" checked={value === true} onChange={(e) => set(f.name, e.target.checked)} {...common} />
                <span>{f.label}</span>
              </label>
            );
          } else if (options) {
            const current = String(value ?? '');
            const list = current && !options.some((o) => o.value === current) ? [{ value: current, label: current }, ...options] : options;
            control = (
              <select className="input" value={current} onChange={(e) => set(f.name, e.target.value)} {...common}>
                <option value="">{f.required ? 'Choose…' : '—'}</option>
                {list.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            );
          } else if (f.multiline) {
            control = <textarea className={f.dna || f.json ? 'input textarea mono' : 'input textarea'} rows={f.dna ? 3 : 2} value={String(value ?? '')} onChange={(e) => set(f.name, e.target.value)} spellCheck={!f.dna && !f.json} {...common} />;
          } else {
            const numeric = f.kind === 'integer' || f.kind === 'real';
            control = (
              <input
                className={f.dna ? 'input mono' : 'input'}
                type={f.date ? 'date' : 'text'}
                inputMode={numeric ? (f.kind === 'integer' ? 'numeric' : 'decimal') : undefined}
                value={String(value ?? '')}
                onChange={(e) => set(f.name, e.target.value)}
                spellCheck={false}
                autoComplete="off"
                {...common}
              />
            );
          }
          return (
            <div className={f.multiline ? 'field field-wide' : 'field'} key={f.name}>
              {f.kind === 'bool' ? (
                <span className="field-label" aria-hidden="true">
                  &nbsp;
                </span>
              ) : (
                <label htmlFor={inputId} className="field-label">
                  {f.label} {f.required ? <span className="field-required">required</span> : null}
                </label>
              )}
              {control}
              {problem ? (
                <span id={`${inputId}-err`} className="field-problem" role="alert">
                  {problem}
                </span>
              ) : null}
            </div>
          );
        })}
      </div>
      {error ? <ErrorNotice error={error} compact /> : null}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
        {onCancel ? (
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
