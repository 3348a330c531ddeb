import { useEffect, useState } from 'react';
import type { OpResponse } from '../../../../shared/contract';
import type { ApiErrorBody } from '../../../../shared/errors';
import { STATUS_TRANSITIONS, type LibraryDetail } from '../../../../shared/schemas/libraries';
import { toErrorBody } from '../../lib/errors';
import { request } from '../../stores/connectionStore';
import { Card } from '../Card';
import { ErrorNotice, InfoNotice } from '../Notice';
import { PathInput } from '../PathInput';
import { text, type Reload } from './values';

/** The status changes allowed from the current status, as buttons. */
export function StatusControl({ lib, onChange }: { lib: LibraryDetail; onChange: Reload }) {
  const current = text(lib.spec.status) || 'draft';
  const next = STATUS_TRANSITIONS[current] ?? [];
  const [error, setError] = useState<ApiErrorBody | null>(null);
  async function go(status: string) {
    setError(null);
    try {
      onChange(await request('libraries.setStatus', { libId: text(lib.spec.lib_id), status }));
    } catch (err) {
      setError(toErrorBody(err));
    }
  }
  return (
    <>
      {next.map((s) => (
        <button key={s} type="button" className="button" onClick={() => void go(s)}>
          {s === 'active' ? 'Activate' : s === 'archived' ? 'Archive' : s === 'deprecated' ? 'Deprecate' : `Mark ${s}`}
        </button>
      ))}
      {error ? <ErrorNotice error={error} compact /> : null}
    </>
  );
}

export function ExportForm({ lib, onClose }: { lib: LibraryDetail; onClose: () => void }) {
  const [format, setFormat] = useState<'yaml' | 'json'>('yaml');
  const [path, setPath] = useState('');
  const [result, setResult] = useState<OpResponse<'libraries.export'> | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  async function submit() {
    setError(null);
    try {
      setResult(await request('libraries.export', { libId: text(lib.spec.lib_id), format, ...(path.trim() ? { path: path.trim() } : {}) }));
    } catch (err) {
      setError(toErrorBody(err));
    }
  }
  const download = result ? URL.createObjectURL(new Blob([result.text], { type: format === 'json' ? 'application/json' : 'application/yaml' })) : null;
  useEffect(() => () => (download ? URL.revokeObjectURL(download) : undefined), [download]);
  return (
    <Card title="Export this library spec" span={3} actions={<button type="button" className="button" onClick={onClose}>Close</button>}>
      <p className="field-help">The whole spec — constructs, fragments, modifications, barcodes, sample preparation, QC thresholds, custom fields — as one file. Experiment links are not exported.</p>
      <div className="input-row">
        <div className="segmented" role="radiogroup" aria-label="Format">
          {(['yaml', 'json'] as const).map((f) => (
            <label className="segment" key={f}>
              <input type="radio" name="export-format" checked={format === f} onChange={() => setFormat(f)} />
              <span>{f.toUpperCase()}</span>
            </label>
          ))}
        </div>
        <PathInput value={path} onChange={setPath} label="export file" placeholder={`Optional: /path/to/${text(lib.spec.lib_name).replace(/\W+/g, '_')}.${format === 'json' ? 'json' : 'yaml'}`} testId="export-path" />
        <button type="button" className="button primary" onClick={() => void submit()}>
          Export
        </button>
      </div>
      {error ? <ErrorNotice error={error} compact /> : null}
      {result ? (
        <InfoNotice tone="ok">
          {result.path ? <>Written to <span className="mono">{result.path}</span>. </> : null}
          <a className="link" href={download ?? undefined} download={`${text(lib.spec.lib_id)}.${format === 'json' ? 'json' : 'yaml'}`}>
            Download {format.toUpperCase()}
          </a>
        </InfoNotice>
      ) : null}
    </Card>
  );
}
