import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { ApiErrorBody } from '../../../shared/errors';
import type { JobInfo } from '../../../shared/schemas/jobs';
import type { RunDetail } from '../../../shared/schemas/runs';
import type { Preflight, StepInfo } from '../../../shared/schemas/steps';
import { toErrorBody } from '../lib/errors';
import { boundsHint, initialValues, localProblem, schemaFields, toParams, type FieldSpec, type FormValues } from '../lib/schemaForm';
import { request } from '../stores/connectionStore';
import { useTrustStore } from '../stores/trustStore';
import { ErrorNotice } from './Notice';
import { PathInput } from './PathInput';
import { readOnlyTitle, useReadOnly } from '../stores/readOnly';

const PREFLIGHT_DELAY_MS = 300;

function Field({ f, value, onChange, problem }: { f: FieldSpec; value: string | boolean | undefined; onChange: (v: string | boolean) => void; problem: string | null }) {
  const id = useId();
  const helpId = `${id}-help`;
  const problemId = `${id}-problem`;
  const describedBy = [f.description ? helpId : '', problem ? problemId : ''].filter(Boolean).join(' ') || undefined;
  const text = typeof value === 'string' ? value : '';
  const hints: string[] = [];
  const bounds = f.type === 'number' || f.type === 'integer' ? boundsHint(f) : null;
  if (bounds) hints.push(bounds);
  if (f.pattern && !f.enumValues) hints.push(f.patternMessage ? f.patternMessage : `pattern ${f.pattern}`);
  if (f.defaultValue !== undefined && f.defaultValue !== null) hints.push(`default ${String(f.defaultValue)}`);

  let control;
  if (f.type === 'boolean') {
    control = (
      <label className="checkbox">
        <input id={id} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} aria-describedby={describedBy} data-testid={`param-${f.name}`} />
        <span>{f.title}</span>
      </label>
    );
  } else if (f.enumValues) {
    control = (
      <select id={id} className="input" value={text} onChange={(e) => onChange(e.target.value)} aria-describedby={describedBy} aria-invalid={problem ? true : undefined} data-testid={`param-${f.name}`}>
        {!f.required || f.defaultValue === undefined ? <option value="">—</option> : null}
        {f.enumValues.map((v) => (
          <option key={String(v)} value={String(v)}>
            {String(v)}
          </option>
        ))}
      </select>
    );
  } else if (f.format) {
    control = (
      <PathInput
        id={id}
        value={text}
        onChange={onChange}
        kind={f.format === 'dir-path' ? 'folder' : 'file'}
        invalid={!!problem}
        describedBy={describedBy}
        label={f.title}
        testId={`param-${f.name}`}
      />
    );
  } else if (f.type === 'number' || f.type === 'integer') {
    const step = f.type === 'integer' ? 1 : 'any';
    control = (
      <input
        id={id}
        className="input num-input"
        type="number"
        inputMode={f.type === 'integer' ? 'numeric' : 'decimal'}
        value={text}
        min={f.minimum ?? f.exclusiveMinimum ?? undefined}
        max={f.maximum ?? f.exclusiveMaximum ?? undefined}
        step={step}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={describedBy}
        aria-invalid={problem ? true : undefined}
        data-testid={`param-${f.name}`}
      />
    );
  } else {
    control = (
      <input
        id={id}
        className="input mono"
        type="text"
        value={text}
        placeholder={f.placeholder ?? undefined}
        pattern={f.pattern ?? undefined}
        spellCheck={false}
        autoComplete="off"
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={describedBy}
        aria-invalid={problem ? true : undefined}
        data-testid={`param-${f.name}`}
      />
    );
  }

  return (
    <div className={f.format ? 'field field-wide' : 'field'}>
      {f.type === 'boolean' ? (
        <span className="field-label">
          {f.title} <span className="field-type mono">{f.name}</span>
        </span>
      ) : (
        <label htmlFor={id} className="field-label">
          {f.title} {f.required ? <span className="field-required">required</span> : null} <span className="field-type mono">{f.name}</span>
        </label>
      )}
      {control}
      {hints.length > 0 ? <span className="field-hint">{hints.join(' · ')}</span> : null}
      {f.description ? (
        <span id={helpId} className="field-help">
          {f.description}
        </span>
      ) : null}
      {problem ? (
        <span id={problemId} className="field-problem" data-testid={`problem-${f.name}`}>
          {problem}
        </span>
      ) : null}
    </div>
  );
}

/** The parameter form of one step, generated from its JSON Schema, with live preflight and Launch. */
export function StepForm({ run, step, onLaunched }: { run: RunDetail; step: StepInfo; onLaunched: (job: JobInfo) => void }) {
  const readOnly = useReadOnly();
  const groups = useMemo(() => schemaFields(step.parameters), [step]);
  const [values, setValues] = useState<FormValues>(() => initialValues(groups, run.params[step.id]));
  const [preflight, setPreflight] = useState<Preflight | null>(null);
  /** The form state the shown preflight answers (the form is "checking" until it matches the current one). */
  const [checkedKey, setCheckedKey] = useState<string | null>(null);
  const [preflightError, setPreflightError] = useState<ApiErrorBody | null>(null);
  const [launchError, setLaunchError] = useState<ApiErrorBody | null>(null);
  const [launching, setLaunching] = useState(false);
  const seq = useRef(0);

  const params = useMemo(() => toParams(groups, values), [groups, values]);

  const trustRevision = useTrustStore((s) => s.revision);
  const key = `${JSON.stringify(params)}#${run.jobs.length}#${trustRevision}`;
  const checking = checkedKey !== key;

  useEffect(() => {
    const mine = ++seq.current;
    const timer = setTimeout(() => {
      request('steps.preflight', { runId: run.id, step: step.id, params })
        .then((result) => {
          if (mine !== seq.current) return;
          setPreflight(result);
          setPreflightError(null);
        })
        .catch((err: unknown) => {
          if (mine !== seq.current) return;
          setPreflight(null);
          setPreflightError(toErrorBody(err));
        })
        .finally(() => {
          if (mine === seq.current) setCheckedKey(key);
        });
    }, PREFLIGHT_DELAY_MS);
    return () => clearTimeout(timer);
  }, [run.id, key, step.id, params]);

  async function launch() {
    setLaunching(true);
    setLaunchError(null);
    try {
      const job = await request('jobs.start', { runId: run.id, step: step.id, params });
      onLaunched(job);
    } catch (err) {
      setLaunchError(toErrorBody(err));
    } finally {
      setLaunching(false);
    }
  }

  const problems = preflight?.problems ?? [];
  const fieldProblem = (f: FieldSpec): string | null => {
    const server = problems.filter((p) => p.kind === 'param' && p.field === f.name).map((p) => p.message);
    if (server.length > 0) return server.join(' ');
    return localProblem(f, values[f.name]);
  };
  const canLaunch = !!preflight?.ok && !checking && !launching && readOnly === null;

  return (
    <form
      className="form step-form"
      aria-label={`${step.name} parameters`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (canLaunch) void launch();
      }}
    >
      <p className="muted step-description">{step.description}</p>
      {groups.map((g, gi) => (
        <fieldset key={g.title ?? gi} className="param-group">
          {g.title ? <legend>{g.title}</legend> : null}
          <div className="fields">
            {g.fields.map((f) => (
              <Field key={f.name} f={f} value={values[f.name]} problem={fieldProblem(f)} onChange={(v) => setValues((old) => ({ ...old, [f.name]: v }))} />
            ))}
          </div>
        </fieldset>
      ))}
      {groups.length === 0 ? <p className="muted">This step has no parameters.</p> : null}

      <div className="preflight" aria-live="polite" data-testid="preflight">
        {preflightError ? <ErrorNotice error={preflightError} compact title="Preflight failed" /> : null}
        {preflight && !preflight.ok ? (
          <div className="preflight-problems" data-testid="preflight-problems">
            <strong>Launch is disabled:</strong>
            <ul>
              {problems.map((p, i) => (
                <li key={i}>
                  <span className="problem-kind">{p.kind}</span>
                  {p.field ? <span className="mono"> {p.field}</span> : null}: {p.message}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {preflight?.ok && preflight.argv ? (
          <div className="argv-preview">
            <span className="field-label">Will run</span>
            <code className="argv mono" data-testid="argv">
              {preflight.argv.map((a) => (/[\s'"$;&|<>()`\\]/.test(a) || a === '' ? `'${a.replace(/'/g, "'\\''")}'` : a)).join(' ')}
            </code>
          </div>
        ) : null}
      </div>
      {launchError ? <ErrorNotice error={launchError} compact /> : null}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={!canLaunch} title={readOnlyTitle(readOnly)} data-testid="launch">
          {launching ? 'Launching…' : `Launch ${step.name}`}
        </button>
        <span className="muted small">{checking ? 'Checking…' : preflight?.ok ? 'Ready to launch.' : null}</span>
      </div>
    </form>
  );
}
