import { useEffect, useId, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import type { ApiErrorBody } from '../../../../shared/errors';
import { decodeModBitflag, modsLabel, parseBasecallName, singleModifications, type ModificationRow } from '../../../../shared/nanopore/basecallName';
import { MODEL_TIERS, type BasecallRun, type ModelTier } from '../../../../shared/schemas/experiments';
import { Card } from '../Card';
import { ErrorNotice } from '../Notice';
import { PathInput } from '../PathInput';
import { toErrorBody } from '../../lib/errors';
import { request } from '../../stores/connectionStore';
import { useLookupsStore } from '../../stores/lookupsStore';

interface Fields {
  expId: string;
  tier: ModelTier;
  version: string;
  trim: '0' | '1';
  mods: string;
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? '';
}

function Field({ id, label, children, problem }: { id: string; label: string; children: ReactNode; problem?: string | null }) {
  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {children}
      {problem ? <span className="field-problem">{problem}</span> : null}
    </div>
  );
}

/**
 * Register an existing BAM as a basecall run. Its name is read by the lab's convention as it is
 * typed ({exp_id}_{tier}_v{version}_trim{0|1}_{mods}.bam) into fields that stay editable.
 */
export function RegisterBamForm({ expId, onRegistered }: { expId: string; onRegistered: (run: BasecallRun) => void }) {
  const id = useId();
  const [path, setPath] = useState('');
  const [fields, setFields] = useState<Fields>({ expId, tier: 'sup', version: '', trim: '1', mods: '0' });
  const [createExperiment, setCreateExperiment] = useState(false);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [busy, setBusy] = useState(false);
  const rows = useLookupsStore((s) => s.rows.lk_modifications) as ModificationRow[] | undefined;
  const loadRows = useLookupsStore((s) => s.loadRows);

  useEffect(() => {
    if (!rows) void loadRows('lk_modifications');
  }, [rows, loadRows]);

  const name = baseName(path.trim());
  const parsed = name ? parseBasecallName(name) : null;

  function changePath(value: string) {
    setPath(value);
    const p = parseBasecallName(baseName(value.trim()));
    // On an experiment's page the BAM belongs to that experiment, whatever its file name says.
    if (p.ok) setFields({ expId, tier: p.value.tier, version: p.value.version, trim: p.value.trim ? '1' : '0', mods: String(p.value.modBitflag) });
  }

  const modsNote = useMemo(() => {
    if (!/^\d+$/.test(fields.mods)) return { ok: false, text: 'a whole number: the sum of the modifications’ codes' };
    if (!rows) return { ok: true, text: '' };
    const d = decodeModBitflag(Number(fields.mods), rows);
    return d.ok ? { ok: true, text: modsLabel(d.mods.map((m) => m.mod_type ?? String(m.mod_code))) } : { ok: false, text: d.message };
  }, [fields.mods, rows]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!path.trim()) {
      setError({ code: 'invalid_request', message: 'Type the path of the BAM file.' });
      return;
    }
    if (!modsNote.ok) return;
    setBusy(true);
    try {
      const run = await request('basecalls.register', {
        bamPath: path.trim(),
        expId: fields.expId.trim(),
        tier: fields.tier,
        version: fields.version.trim(),
        trim: fields.trim === '1' ? 1 : 0,
        modBitflag: Number(fields.mods),
        createExperiment,
      });
      setPath('');
      onRegistered(run);
    } catch (err) {
      setError(toErrorBody(err));
    } finally {
      setBusy(false);
    }
  }

  const set = (patch: Partial<Fields>) => setFields((f) => ({ ...f, ...patch }));
  const singles = rows ? singleModifications(rows) : [];

  return (
    <Card title="Register a BAM">
      <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-label="Register a BAM">
        <p className="field-help">
          An unaligned BAM from dorado. A name like <code>{'{exp_id}_{tier}_v{version}_trim{0|1}_{mods}.bam'}</code> fills the fields below; check or correct them.
        </p>
        <label htmlFor={`${id}-path`} className="field-label">
          BAM file <span className="field-required">required</span>
        </label>
        <PathInput id={`${id}-path`} value={path} onChange={changePath} label="BAM file" placeholder="/data/basecalls/PAW12345_sup_v5.0.0_trim1_0.bam" testId="register-path" />
        {parsed ? (
          <p className={parsed.ok ? 'field-hint' : 'field-problem'} data-testid="register-parse">
            {parsed.ok ? 'Name follows the convention: fields filled in from it.' : `${parsed.message} — fill the fields by hand.`}
          </p>
        ) : null}
        {parsed?.ok && parsed.value.expId !== fields.expId ? (
          <p className="field-hint" data-testid="register-other-exp">
            The file name names experiment <span className="mono">{parsed.value.expId}</span>; it is registered under <span className="mono">{fields.expId}</span>.
          </p>
        ) : null}
        <div className="fields">
          <Field id={`${id}-exp`} label="Experiment">
            <input id={`${id}-exp`} className="input mono" value={fields.expId} onChange={(e) => set({ expId: e.target.value })} data-testid="register-exp" />
          </Field>
          <Field id={`${id}-tier`} label="Model tier">
            <select id={`${id}-tier`} className="input" value={fields.tier} onChange={(e) => set({ tier: e.target.value as ModelTier })} data-testid="register-tier">
              {MODEL_TIERS.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </Field>
          <Field id={`${id}-version`} label="Model version">
            <input id={`${id}-version`} className="input mono" value={fields.version} placeholder="v5.0.0" onChange={(e) => set({ version: e.target.value })} data-testid="register-version" />
          </Field>
          <Field id={`${id}-trim`} label="Adapter trimming">
            <select id={`${id}-trim`} className="input" value={fields.trim} onChange={(e) => set({ trim: e.target.value as '0' | '1' })} data-testid="register-trim">
              <option value="1">trimmed (trim1)</option>
              <option value="0">not trimmed (trim0)</option>
            </select>
          </Field>
          <Field id={`${id}-mods`} label="Modifications bitflag" problem={modsNote.ok ? null : modsNote.text}>
            <input id={`${id}-mods`} className="input mono" inputMode="numeric" value={fields.mods} onChange={(e) => set({ mods: e.target.value })} aria-invalid={modsNote.ok ? undefined : true} data-testid="register-mods" />
            {modsNote.ok && modsNote.text ? (
              <span className="field-hint" data-testid="register-mods-names">
                {modsNote.text}
              </span>
            ) : null}
          </Field>
        </div>
        {singles.length > 0 ? <p className="field-hint">Codes: {singles.map((m) => `${m.mod_code} ${m.mod_type ?? ''}`).join(' · ')}</p> : null}
        <label className="checkbox">
          <input type="checkbox" checked={createExperiment} onChange={(e) => setCreateExperiment(e.target.checked)} /> Create the experiment if Benchtop does not know it yet
        </label>
        {error ? <ErrorNotice error={error} compact /> : null}
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy} data-testid="register-submit">
            {busy ? 'Registering…' : 'Register'}
          </button>
        </div>
      </form>
    </Card>
  );
}
